"""Other names ``jax.numpy`` has for functions defined elsewhere in
``mini_ad.numpy`` (the array API's ``acos``, ``pow``, ``bitwise_left_shift``, ...), and
NumPy's own I/O, printing and buffer functions, which act on concrete arrays (values
here are NumPy arrays, so NumPy's functions apply as they are)."""

from __future__ import annotations

import numpy as np

from mini_ad.numpy._division import power
from mini_ad.numpy._logic import invert
from mini_ad.numpy._math import arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh
from mini_ad.numpy._trig import deg2rad, rad2deg
from mini_ad.numpy._ufuncs import left_shift, right_shift

acos = arccos
acosh = arccosh
asin = arcsin
asinh = arcsinh
atan = arctan
atan2 = arctan2
atanh = arctanh
pow = power  # noqa: A001 - the array API's name
degrees = rad2deg
radians = deg2rad
bitwise_invert = invert
bitwise_left_shift = left_shift
bitwise_right_shift = right_shift

euler_gamma = float(np.euler_gamma)
ComplexWarning = np.exceptions.ComplexWarning

# NumPy's functions on concrete arrays
printoptions = np.printoptions
get_printoptions = np.get_printoptions
set_printoptions = np.set_printoptions
array_repr = np.array_repr
array_str = np.array_str
load = np.load
save = np.save
savez = np.savez
frombuffer = np.frombuffer
fromfile = np.fromfile
fromiter = np.fromiter
fromstring = np.fromstring
from_dlpack = np.from_dlpack
