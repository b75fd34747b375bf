"""``mini_ad.numpy``: a ``jax.numpy`` look-alike over mini_ad's primitives.

Outside any transform these functions take and return plain ``numpy.ndarray``s, so
mini_ad is usable as NumPy; inside a transform they build the traced program.

>>> import mini_ad.numpy as mnp
>>> mnp.sum(mnp.sin(mnp.zeros(3)) * 2.0)
array(0.)
"""

import numpy as _np

from mini_ad.core import tracing as _tracing
from mini_ad.numpy import fft, linalg
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
from mini_ad.numpy._extra import (
    argsort,
    cross,
    cumprod,
    diag,
    diagonal,
    diff,
    pad,
    roll,
    sort,
    take,
    take_along_axis,
    tril,
    triu,
)
from mini_ad.numpy._indexing import at, getitem
from mini_ad.numpy._linalg import dot, einsum, inner, matmul, outer, tensordot, trace, vdot
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
    deg2rad,
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
    rad2deg,
    sign,
    sin,
    sinc,
    sinh,
    sqrt,
    square,
    stop_gradient,
    subtract,
    tan,
    tanh,
    true_divide,
    where,
)
from mini_ad.numpy._ranges import arange, ones, zeros
from mini_ad.numpy._ranges import result_dtype as result_type
from mini_ad.numpy._reductions import all, amax, amin, any, argmax, argmin, max, min, prod, sum
from mini_ad.numpy._shape import (
    atleast_1d,
    atleast_2d,
    concatenate,
    expand_dims,
    flip,
    hstack,
    moveaxis,
    ravel,
    reshape,
    squeeze,
    stack,
    swapaxes,
    transpose,
    vstack,
)
from mini_ad.numpy._statistics import average, cumsum, mean, std, var
from mini_ad.numpy._tiling import repeat, split, tile

float16 = _np.float16
float32 = _np.float32
float64 = _np.float64
int8 = _np.int8
int16 = _np.int16
int32 = _np.int32
int64 = _np.int64
uint8 = _np.uint8
uint32 = _np.uint32
bool_ = _np.bool_
complex64 = _np.complex64
complex128 = _np.complex128
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
    "any", "all", "swapaxes", "repeat", "take",
):  # fmt: skip
    setattr(_tracing.array_ops, _name, globals()[_name])
