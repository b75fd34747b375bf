"""The comparison suite: named programs run through mini_ad, JAX (x64) and finite differences.

Each case is written once against a namespace ``np`` (``mini_ad.numpy`` or ``jax.numpy``,
with ``np.nn``, ``np.lax``, ``np.scipy`` and ``np.ad`` — the transforms module, ``mini_ad``
or ``jax``), so the primal semantics are compared along with every derivative.

    python -m mini_ad.comparisons [--filter TEXT] [--json PATH] [--markdown PATH] [-v]

``mini_ad.comparisons.registry.all_cases()`` lists the cases; ``mini_ad.comparisons.runner.run_case``
runs one and returns a ``mini_ad.interop.report.Report``.
"""
