"""Every primitive, one block each: impl, abstract_eval, jvp, transpose, batch.

Importing this package registers all primitives in ``core.primitive.registry``.
"""

from mini_ad.primitives import (  # noqa: F401
    bits,
    complex_parts,
    conv,
    cumulative,
    decompositions,
    determinants,
    elementwise,
    fft,
    indexing,
    libm_pow,
    linalg,
    linalg_ops,
    linalg_taylor,
    lu,
    matrix_functions,
    orthogonal,
    reductions,
    sorting,
    special,
    special_gamma,
    structural,
    windowed,
)
