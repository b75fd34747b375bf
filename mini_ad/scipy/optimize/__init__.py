"""``mini_ad.scipy.optimize``: ``minimize`` with BFGS, as ``jax.scipy.optimize``.

>>> import mini_ad.numpy as mnp
>>> from mini_ad.scipy.optimize import minimize
>>> result = minimize(lambda x: mnp.sum((x - 3.0) ** 2), mnp.zeros(2), method="BFGS")
>>> print(result.x)
[3. 3.]
"""

from __future__ import annotations

from mini_ad.scipy.optimize._minimize import OptimizeResults, minimize

__all__ = ["OptimizeResults", "minimize"]
