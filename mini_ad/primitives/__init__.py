"""Every primitive, one block each: impl, abstract_eval, jvp, transpose, batch.

Importing this package registers all primitives in ``core.primitive.registry``.
"""

from mini_ad.primitives import elementwise, indexing, linalg, reductions, special, structural  # noqa: F401
