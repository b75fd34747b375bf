"""``mini_ad.scipy.stats``: ``jax.scipy.stats``'s distributions, one submodule each."""

from mini_ad.scipy.stats import cauchy, expon, norm  # noqa: F401
