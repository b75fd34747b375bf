"""``mini_ad.numpy``: a ``jax.numpy`` look-alike over mini_ad's primitives.

Outside any transform these functions take NumPy arrays and return ``mini_ad.Array``s
(immutable ``numpy.ndarray``s with JAX's ``.at``), so mini_ad is usable as NumPy; inside a
transform they build the traced program.

>>> import mini_ad.numpy as mnp
>>> mnp.sum(mnp.sin(mnp.zeros(3)) * 2.0)
array(0.)
"""

import numpy as _np

from mini_ad.core import tracing as _tracing
from mini_ad.numpy import fft, linalg
from mini_ad.numpy._at import at
from mini_ad.numpy._complex import (
    angle,
    conj,
    conjugate,
    imag,
    iscomplex,
    iscomplexobj,
    isreal,
    real,
    real_if_close,
)
from mini_ad.numpy._core import (
    array,
    asarray,
    astype,
    broadcast_arrays,
    broadcast_shapes,
    broadcast_to,
    full,
    ndim,
    shape,
    size,
)
from mini_ad.numpy._creation import eye, full_like, identity, linspace, ones_like, zeros_like
from mini_ad.numpy._division import (
    around,
    ceil,
    float_power,
    floor,
    floor_divide,
    fmod,
    mod,
    positive,
    power,
    reciprocal,
    remainder,
    rint,
    round,
    trunc,
)
from mini_ad.numpy._pad import pad
from mini_ad.numpy._extra import (
    argsort,
    cross,
    cumprod,
    diag,
    diagonal,
    diff,
    roll,
    sort,
    take,
    take_along_axis,
    tril,
    triu,
)
from mini_ad.numpy._indexing import getitem
from mini_ad.numpy._linalg import dot, inner, matmul, outer, tensordot, trace, vdot
from mini_ad.numpy._math import (
    abs,
    absolute,
    add,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    cbrt,
    clip,
    cos,
    cosh,
    divide,
    equal,
    exp,
    exp2,
    expm1,
    greater,
    greater_equal,
    hypot,
    invert,
    isfinite,
    isinf,
    isnan,
    less,
    less_equal,
    log,
    log1p,
    log2,
    log10,
    logaddexp,
    logaddexp2,
    logical_and,
    logical_and_or_bitwise,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    sign,
    sin,
    sinh,
    sqrt,
    square,
    stop_gradient,
    subtract,
    tan,
    tanh,
    true_divide,
)
from mini_ad.numpy._trig import deg2rad, rad2deg, sinc
from mini_ad.numpy._ranges import arange, ones, zeros
from mini_ad.numpy._reductions import all, amax, amin, any, argmax, argmin, max, min, prod, sum
from mini_ad.numpy._shape import (
    concatenate,
    expand_dims,
    flip,
    moveaxis,
    ravel,
    reshape,
    squeeze,
    swapaxes,
    transpose,
)
from mini_ad.numpy._stacking import hstack, stack, vstack
from mini_ad.numpy._statistics import cumsum, mean, std, var
from mini_ad.numpy._tiling import repeat, tile

from mini_ad.numpy._aliases import (
    ComplexWarning, acos, acosh, array_repr, array_str, asin, asinh, atan, atan2, atanh,
    bitwise_invert, bitwise_left_shift, bitwise_right_shift, degrees, euler_gamma, from_dlpack,
    frombuffer, fromfile, fromiter, fromstring, get_printoptions, load, pow, printoptions,
    radians, save, savez, set_printoptions,
)  # fmt: skip
from mini_ad.numpy._compare import (
    allclose, array_equal, array_equiv, fmax, fmin, isclose, isneginf, isposinf, nan_to_num,
)  # fmt: skip
from mini_ad.numpy._dtypes import (
    bool, bool_, can_cast, cdouble, character, complex64, complex128, complex_, complexfloating,
    csingle, double, finfo, flexible, float16, float32, float64, float_, floating, generic,
    iinfo, inexact, int8, int16, int32, int64, int_, integer, isdtype, isrealobj,
    isscalar, issubdtype, iterable, number, object_, promote_types, result_type, signedinteger,
    single, uint, uint8, uint16, uint32, uint64, unsignedinteger,
)  # fmt: skip
from mini_ad.numpy._grids import (
    c_, diag_indices, diag_indices_from, diagflat, fromfunction, geomspace, index_exp, indices,
    ix_, logspace, mask_indices, meshgrid, mgrid, ogrid, packbits, r_, ravel_multi_index, s_,
    tri, tril_indices, tril_indices_from, triu_indices, triu_indices_from, unpackbits,
    unravel_index,
)  # fmt: skip
from mini_ad.numpy._histogram import (
    bincount, digitize, histogram, histogram2d, histogram_bin_edges, histogramdd, searchsorted,
)  # fmt: skip
from mini_ad.numpy._einsum import einsum, einsum_path
from mini_ad.numpy._joining import (
    atleast_1d, atleast_2d, atleast_3d, block, column_stack, concat, copy, dstack, empty, empty_like, fliplr, flipud,
    matrix_transpose, permute_dims, rollaxis, rot90,
)  # fmt: skip
from mini_ad.numpy._poly import (
    poly, polyadd, polyder, polydiv, polyfit, polyint, polymul, polysub, polyval, roots, vander,
)  # fmt: skip
from mini_ad.numpy._products import (
    kron, matvec, vecdot, vecmat,
)  # fmt: skip
from mini_ad.numpy._select import (
    apply_along_axis, apply_over_axes, argpartition, choose, fill_diagonal, lexsort, partition,
    piecewise, place, put, put_along_axis, select, sort_complex, vectorize,
)  # fmt: skip
from mini_ad.numpy._sets import (
    argwhere, compress, extract, flatnonzero, intersect1d, isin, nonzero, setdiff1d, setxor1d,
    union1d, unique, unique_all, unique_counts, unique_inverse, unique_values, where,
)  # fmt: skip
from mini_ad.numpy._convolve import convolve, correlate
from mini_ad.numpy._signal import (
    bartlett, blackman, ediff1d, gradient, hamming, hanning, interp,
    kaiser, trapezoid, unwrap,
)  # fmt: skip
from mini_ad.numpy._splitting import (
    append, array_split, delete, dsplit, hsplit, insert, resize, split, trim_zeros, unstack,
    vsplit,
)  # fmt: skip
from mini_ad.numpy._spread import (
    average, corrcoef, count_nonzero, cov, cumulative_prod, cumulative_sum, nancumprod,
    nancumsum, ptp,
)  # fmt: skip
from mini_ad.numpy._quantile import (
    median,
    nanmedian,
    nanpercentile,
    nanquantile,
    percentile,
    quantile,
)
from mini_ad.numpy._stats import (
    nanargmax, nanargmin, nanmax, nanmean, nanmin, nanprod, nanstd, nansum, nanvar,
)  # fmt: skip
from mini_ad.numpy._ufuncs import (
    bitwise_count, copysign, divmod, fabs, frexp, gcd, heaviside, i0, lcm, ldexp, left_shift,
    modf, nextafter, right_shift, signbit, spacing,
)  # fmt: skip

ndarray = _np.ndarray
dtype = _np.dtype
pi = _np.pi
e = _np.e
inf = _np.inf
nan = _np.nan
newaxis = None

# Tracers' operators and array methods are these functions.
for _name in (
    "abs", "add", "argmax", "argmin", "astype", "at", "dot", "equal", "floor_divide", "getitem",
    "greater", "greater_equal", "invert", "less", "less_equal", "logical_and_or_bitwise",
    "matmul", "max", "mean", "min", "multiply", "negative", "not_equal", "power", "prod",
    "ravel", "remainder", "reshape", "squeeze", "subtract", "sum", "transpose", "true_divide",
    "sort", "argsort", "cumsum", "cumprod", "trace", "diagonal", "clip", "round", "var", "std",
    "any", "all", "swapaxes", "repeat", "take", "conj", "divmod",
):  # fmt: skip
    setattr(_tracing.array_ops, _name, globals()[_name])
