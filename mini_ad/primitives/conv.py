"""``conv_general_dilated``: N-dimensional convolution (JAX's primitive, same params).

The shape rule and the NumPy kernel are in ``conv_impl.py``; this is the card. The
convolution is bilinear, so its jvp is ``conv(dx, w) + conv(x, dw)``, its Taylor rule
the Cauchy product, and its transposes are convolutions again. Derived for one spatial
dim in the canonical layout (``conv_impl``'s notation: lhs dilation ``a``, padding
``(lo, hi)``, stride ``s``, kernel dilation ``d``, ``K`` taps, ``W`` inputs, ``T``
outputs, ``D(n) = (n - 1)·m + 1`` the size of ``n`` entries dilated by ``m``):

* lhs: ``ct_x[n, c, i] = Σ_{o, t, k: s·t + d·k = a·i + lo} ct[n, o, t] w[o, c, k]``.
  Dilating ``ct`` by ``s`` and flipping the kernel turns this into a correlation
  ``Σ_k' ct̃[a·i + d·k' - (d·(K - 1) - lo)] w_rev[o, c, k']``: a convolution of ``ct``
  with the flipped kernel (its in/out features swapped within each group), stride
  ``a``, lhs dilation ``s``, kernel dilation ``d`` and padding
  ``lo' = d·(K - 1) - lo``, ``hi' = D_a(W) + d·(K - 1) - D_s(T) - lo'`` (exactly ``W``
  outputs). Feature groups stay feature groups; batch groups become feature groups of
  the transposed conv, whose output features are then folded back into the batch.
* rhs: ``ct_w[o, c, k] = Σ_{n, t} x̂[n, c, d·k + s·t] ct[n, o, t]``: a convolution of
  ``x`` with ``ct`` as the kernel, batch and feature axes of both swapped, stride
  ``d``, kernel dilation ``s``, lhs dilation ``a``, padding ``(lo, D_d(K) + D_s(T) -
  1 - D_a(W) - lo)``. Feature groups of the forward conv become batch groups here and
  batch groups become feature groups.

Every rule runs in the canonical layout (``transpose`` in and out of it), binds
``conv_general_dilated`` itself and the shape primitives, so rules of rules work.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import is_undefined, zeros
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import reshape, shift_axes, transpose
from mini_ad.primitives.conv_impl import (
    canonical_numbers,
    conv_abstract_eval,
    conv_impl,
    dilated_size,
)
from mini_ad.primitives.helpers import add_any, defjvp
from mini_ad.primitives.logic import convert_element_type
from mini_ad.primitives.structural import rev
from mini_ad.primitives.taylor import bilinear_jet

conv_general_dilated_p = Primitive("conv_general_dilated")


def _to_canonical(x, spec):
    return x if tuple(spec) == tuple(range(len(spec))) else transpose(x, tuple(spec))


def _from_canonical(x, spec):
    if tuple(spec) == tuple(range(len(spec))):
        return x
    return transpose(x, tuple(int(i) for i in np.argsort(spec)))


def _conv(lhs, rhs, strides, padding, lhs_dilation, rhs_dilation, groups_f=1, groups_b=1,
          preferred_element_type=None):  # fmt: skip
    """Bind the primitive on canonically laid out operands."""
    return conv_general_dilated_p.bind(
        lhs, rhs, window_strides=tuple(strides),
        padding=tuple((int(lo), int(hi)) for lo, hi in padding),
        lhs_dilation=tuple(lhs_dilation), rhs_dilation=tuple(rhs_dilation),
        dimension_numbers=canonical_numbers(aval_of(lhs).ndim),
        feature_group_count=groups_f, batch_group_count=groups_b, precision=None,
        preferred_element_type=preferred_element_type,
    )  # fmt: skip


def _swap01(x):
    ndim = aval_of(x).ndim
    return transpose(x, (1, 0, *range(2, ndim)))


def _split_axis(x, axis, parts):
    """Split ``x``'s axis into ``(parts, size / parts)``."""
    shape = list(aval_of(x).shape)
    shape[axis : axis + 1] = [parts, shape[axis] // parts]
    return reshape(x, tuple(shape))


def _merge_axes(x, axis):
    """Merge ``x``'s axes ``axis`` and ``axis + 1``."""
    shape = list(aval_of(x).shape)
    shape[axis : axis + 2] = [shape[axis] * shape[axis + 1]]
    return reshape(x, tuple(shape))


def _transpose_lhs(ct, rhs, lhs_aval, *, window_strides, padding, lhs_dilation, rhs_dilation,
                   dimension_numbers, feature_group_count, batch_group_count):  # fmt: skip
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    ct = _to_canonical(ct, out_spec)
    w = _to_canonical(rhs, rhs_spec)  # (O, I, *K)
    groups = batch_group_count if batch_group_count > 1 else feature_group_count
    ndim = aval_of(w).ndim
    # (groups·I, O / groups, *K), flipped: in and out features swap within each group
    w = transpose(_split_axis(w, 0, groups), (0, 2, 1, *range(3, ndim + 1)))
    w = rev(_merge_axes(w, 0), tuple(range(2, ndim)))
    lhs_sizes = [lhs_aval.shape[a] for a in lhs_spec[2:]]
    kernel, outs = aval_of(w).shape[2:], aval_of(ct).shape[2:]
    pads = []
    for size, k, t, s, a, d, (lo, _) in zip(lhs_sizes, kernel, outs, window_strides,
                                            lhs_dilation, rhs_dilation, padding, strict=True):  # fmt: skip
        lo_t = d * (k - 1) - lo
        pads.append((lo_t, dilated_size(size, a) + d * (k - 1) - dilated_size(t, s) - lo_t))
    out = _conv(ct, w, lhs_dilation, pads, window_strides, rhs_dilation, groups_f=groups)
    if batch_group_count > 1:  # (N / B, B·C, ...) -> (N, C, ...)
        out = _merge_axes(transpose(_split_axis(out, 1, groups), (1, 0, *range(2, ndim + 1))), 0)
    return _from_canonical(out, lhs_spec)


def _transpose_rhs(ct, lhs, rhs_aval, *, window_strides, padding, lhs_dilation, rhs_dilation,
                   dimension_numbers, feature_group_count, batch_group_count):  # fmt: skip
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    x = _swap01(_to_canonical(lhs, lhs_spec))  # (C, N, *W)
    ct = _swap01(_to_canonical(ct, out_spec))  # (O, N / B, *T)
    kernel = [rhs_aval.shape[a] for a in rhs_spec[2:]]
    lhs_sizes, outs = aval_of(x).shape[2:], aval_of(ct).shape[2:]
    pads = []
    for size, k, t, s, a, d, (lo, _) in zip(lhs_sizes, kernel, outs, window_strides,
                                            lhs_dilation, rhs_dilation, padding, strict=True):  # fmt: skip
        hi = dilated_size(k, d) + dilated_size(t, s) - 1 - dilated_size(size, a) - lo
        pads.append((lo, hi))
    out = _conv(x, ct, rhs_dilation, pads, lhs_dilation, window_strides,
                groups_f=batch_group_count, groups_b=feature_group_count)  # fmt: skip
    return _from_canonical(_swap01(out), rhs_spec)


def _conv_transpose(ct, lhs, rhs, **params):
    # the cotangent is converted to the operand's dtype below
    params.pop("precision"), params.pop("preferred_element_type")
    lhs_undefined = is_undefined(lhs)
    undefined, other = (lhs, rhs) if lhs_undefined else (rhs, lhs)
    if aval_of(ct).dtype != undefined.aval.dtype:
        ct = convert_element_type(ct, undefined.aval.dtype)
    if 0 in aval_of(ct).shape:  # no output, no cotangent: zeros
        result = zeros(undefined.aval)
    elif lhs_undefined:
        result = _transpose_lhs(ct, other, undefined.aval, **params)
    else:
        result = _transpose_rhs(ct, other, undefined.aval, **params)
    return [result, None] if lhs_undefined else [None, result]


def _canonical_batched(x, bdim, spec):
    if bdim is None:
        return _to_canonical(x, spec)
    return transpose(x, (bdim, *shift_axes(spec, bdim)))  # V first, then canonical


def _batch_into_axis(x, groups):
    """``x`` = ``(V, A, ...)`` with ``A = groups · per``: fold ``V`` into each group,
    giving ``(groups · V · per, ...)``."""
    x = _split_axis(x, 1, groups)  # (V, groups, per, ...)
    ndim = aval_of(x).ndim
    x = transpose(x, (1, 0, *range(2, ndim)))  # (groups, V, per, ...)
    return _merge_axes(_merge_axes(x, 0), 0)


def _unfold(out, axis, groups, axis_size):
    """Undo ``_batch_into_axis`` on the output's ``axis``: ``(…, groups·V·per, …)`` ->
    ``(V, …, groups·per, …)``."""
    shape = list(aval_of(out).shape)
    per = shape[axis] // (groups * axis_size)
    out = reshape(out, (*shape[:axis], groups, axis_size, per, *shape[axis + 1 :]))
    ndim = aval_of(out).ndim
    perm = [axis + 1] + [i for i in range(ndim) if i != axis + 1]
    return _merge_axes(transpose(out, tuple(perm)), axis + 1)


def _conv_batch(axis_size, vals, dims, **params):
    (lhs, rhs), (lhs_dim, rhs_dim) = vals, dims
    lhs_spec, rhs_spec, out_spec = params["dimension_numbers"]
    g, b = params["feature_group_count"], params["batch_group_count"]
    ndim = len(lhs_spec)
    spatial = dict(strides=params["window_strides"], padding=params["padding"],
                   lhs_dilation=params["lhs_dilation"], rhs_dilation=params["rhs_dilation"],
                   preferred_element_type=params["preferred_element_type"])  # fmt: skip
    # operands canonical, a batched one with its batch axis V in front: (V, N, C, ...)
    x = _canonical_batched(lhs, lhs_dim, lhs_spec)
    w = _canonical_batched(rhs, rhs_dim, rhs_spec)
    if rhs_dim is None:  # V joins the lhs batch, inside each batch group
        out = _conv(_batch_into_axis(x, b), w, groups_f=g, groups_b=b, **spatial)
        out = _unfold(out, 0, 1, axis_size)  # (V, N / B, O, ...)
    elif lhs_dim is None:  # V joins the out features, inside each group
        groups = b if b > 1 else g
        out = _conv(x, _batch_into_axis(w, groups), groups_f=g, groups_b=b, **spatial)
        out = _unfold(out, 1, groups, axis_size)
    elif b > 1:  # V·B batch groups
        out = _conv(_merge_axes(x, 0), _merge_axes(w, 0), groups_b=b * axis_size, **spatial)
        out = _unfold(out, 1, 1, axis_size)
    else:  # V·G feature groups
        x = _merge_axes(transpose(x, (1, 0, *range(2, ndim + 1))), 1)
        out = _conv(x, _merge_axes(w, 0), groups_f=g * axis_size, **spatial)
        out = _unfold(out, 1, 1, axis_size)
    return _from_canonical(out, (0, *(a + 1 for a in out_spec))), 0


def _conv_lowering(lx, lhs, rhs, *, dimension_numbers, precision, **params):
    return lx.lax.conv_general_dilated(
        lhs, rhs, dimension_numbers=lx.lax.ConvDimensionNumbers(*dimension_numbers),
        precision=lx.lax.Precision.HIGHEST, **params,
    )  # fmt: skip


conv_general_dilated_p.impl = conv_impl
conv_general_dilated_p.abstract_eval = conv_abstract_eval
conv_general_dilated_p.transpose = _conv_transpose
conv_general_dilated_p.batch = _conv_batch
conv_general_dilated_p.lowering = _conv_lowering
conv_general_dilated_p.print_params = lambda params: {  # as JAX prints them
    **params, "dimension_numbers": repr(params["dimension_numbers"]),
}  # fmt: skip
conv_general_dilated_p.jet = bilinear_jet(conv_general_dilated_p, add_any)
# d conv(x, w) = conv(dx, w) + conv(x, dw)
defjvp(
    conv_general_dilated_p,
    lambda t, ans, x, w, **params: conv_general_dilated_p.bind(t, w, **params),
    lambda t, ans, x, w, **params: conv_general_dilated_p.bind(x, t, **params),
)
