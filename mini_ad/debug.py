"""NaN/Inf provenance: ``debug_nans`` and ``debug_infs`` (JAX: ``jax_debug_nans``).

With the option on (``with mini_ad.debug_nans():`` or ``mini_ad.config.update("debug_nans",
True)``) every primitive computed on concrete values is checked, and the first one that
turns inputs without NaN into a NaN raises ``FloatingPointError``, naming

* the primitive and the pass: forward, or the backward pass (``transpose of sqrt``: a
  transpose rule run for the derivative of ``sqrt``), read off the current source (see
  ``core/source_info.py``), so it works eagerly, under ``grad`` and under ``vmap``;
* the user's line that created it;
* where its non-finite or zero inputs came from (the values made by recent primitives
  are remembered while the option is on) — for the classic leak, the ``select_n`` of a
  ``where`` whose untaken branch got the cotangent 0, multiplied by an ``inf``
  derivative — and the fix (the double-``where`` trick).

Under ``jit`` the compiled program runs; only if its outputs hold a new NaN is it run
again equation by equation (``compile.interpreting``) to find the equation.

The checks cost nothing while off: turning an option on makes a checking trace the
base trace of the current context (``config.watchers``); turning it off restores
``EvalTrace``. Turn it on outside transformed functions.

>>> import mini_ad as ad, mini_ad.numpy as mnp
>>> with ad.debug_nans():
...     ad.grad(lambda x: mnp.where(x > 0, mnp.sqrt(x), 0.0))(0.0)
Traceback (most recent call last):
  ...
FloatingPointError: invalid value (nan) encountered in mul, in the backward pass (transpose of sqrt) at ...
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict

import numpy as np

from mini_ad.core import tracing
from mini_ad.core.config import config, watchers
from mini_ad.core.jaxpr import eval_jaxpr
from mini_ad.core.source_info import _Source, get_current, here
from mini_ad.core.tracing import EvalTrace, current_trace, eval_trace
from mini_ad.transforms.compile import interpreting

__all__ = ["debug_infs", "debug_nans"]

_REMEMBERED = 4096  # values whose producer is kept for explanations


class CheckingTrace(EvalTrace):
    """``EvalTrace`` that checks every result for new NaNs (and infs, per the options)."""

    __slots__ = ("producers",)
    name = "eval"

    def __init__(self):
        super().__init__(None)
        self.producers = OrderedDict()  # id(value) -> (value, primitive, source, inputs)

    def process_primitive(self, primitive, args, params):
        out = EvalTrace.process_primitive(self, primitive, args, params)
        outs = out if primitive.multiple_results else (out,)
        kind = _new_nonfinite(args, outs, config.debug_nans, config.debug_infs)
        source = _source_now()
        if kind is not None:
            if _has_sub_jaxpr(params):  # find the equation inside, equation by equation
                with interpreting():
                    body = params.get(primitive.inline_param) if primitive.inline_param else None
                    if body is not None:  # a call (jit on any backend, custom rules)
                        eval_jaxpr(body.jaxpr, body.consts, args)
                    else:  # cond, scan, while: their impls run their bodies interpreted
                        EvalTrace.process_primitive(self, primitive, args, params)
            raise _error(self, kind, primitive, args, outs, source)
        for value in outs:
            self._remember(value, primitive, source, args)
        return out

    def _remember(self, value, primitive, source, args):
        # keyed by id, holding the value itself so that the id is not reused meanwhile
        self.producers[id(value)] = (value, primitive, source, args)
        if len(self.producers) > _REMEMBERED:
            self.producers.popitem(last=False)

    def producer(self, value):
        """``(primitive, source)`` of the primitive that made ``value``, if remembered."""
        entry = self.producers.get(id(value))
        return None if entry is None or entry[0] is not value else entry[1:3]

    def first_nonfinite(self, value):
        """``(primitive, source)`` of the primitive that first made a non-finite value
        from finite inputs, following ``value``'s producers back; None if not known."""
        found = None
        for _ in range(_REMEMBERED):
            entry = self.producers.get(id(value))
            if entry is None or entry[0] is not value:
                return found
            found = entry[1:3]
            bad = [x for x in entry[3] if not _finite(x)]
            if not bad:
                return found
            value = bad[0]
        return found


checking_trace = CheckingTrace()


def _sync_base_trace() -> None:
    """Make the checking trace the base trace while an option is on (config watcher)."""
    on = config.debug_nans or config.debug_infs
    trace = current_trace()
    if on and trace is eval_trace:
        tracing._current_trace.set(checking_trace)
    elif not on and trace is checking_trace:
        tracing._current_trace.set(eval_trace)


watchers.append(_sync_base_trace)


@contextlib.contextmanager
def debug_nans(enabled: bool = True):
    """``with debug_nans():`` raise ``FloatingPointError`` at the first primitive that
    makes a NaN from inputs without one, forward or backward, eagerly, under ``jit``
    and under ``vmap`` (JAX: ``jax.debug_nans``).

    Args:
      enabled: turn the check on (True) or off (False) inside the block.

    Raises:
      FloatingPointError: in the block, naming the primitive, the pass, the user's line,
        where its inputs came from and a fix. The error's attributes ``primitive``,
        ``pass_`` (``"forward"``/``"backward"``), ``rule`` (``"transpose of sqrt"``) and
        ``source`` (a ``SourceInfo``) say the same for programs.

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> with debug_nans():
    ...     try:
    ...         ad.grad(lambda x: mnp.sqrt(x) * 0.0)(-1.0)
    ...     except FloatingPointError as e:
    ...         print(e.primitive, e.pass_)
    sqrt forward
    """
    with config.override(debug_nans=enabled):
        yield


@contextlib.contextmanager
def debug_infs(enabled: bool = True):
    """``with debug_infs():`` like ``debug_nans``, for the first ``inf`` made from
    finite inputs (``exp`` overflowing, ``log(0)``, ``1 / 0``).

    Args:
      enabled: turn the check on (True) or off (False) inside the block.

    Raises:
      FloatingPointError: as ``debug_nans`` does.

    >>> import mini_ad.numpy as mnp
    >>> with debug_infs():
    ...     mnp.exp(1000.0)
    Traceback (most recent call last):
      ...
    FloatingPointError: invalid value (inf) encountered in exp, in the forward pass at ...
    """
    with config.override(debug_infs=enabled):
        yield


# --- detection --------------------------------------------------------------------------------


def _flags(x) -> tuple[bool, bool]:
    """(has a NaN, has an inf) for a float or complex value; (False, False) otherwise."""
    a = np.asarray(x)
    if a.dtype.kind not in "fc":
        return False, False
    return bool(np.isnan(a).any()), bool(np.isinf(a).any())


def _finite(x) -> bool:
    a = np.asarray(x)
    return a.dtype.kind not in "fc" or bool(np.isfinite(a).all())


def _new_nonfinite(args, outs, nans: bool, infs: bool) -> str | None:
    """``"nan"`` or ``"inf"`` if the outputs hold one the inputs did not, else None."""
    out_nan = out_inf = False
    for x in outs:
        n, i = _flags(x)
        out_nan, out_inf = out_nan or n, out_inf or i
    if not ((nans and out_nan) or (infs and out_inf)):
        return None
    in_nan = in_inf = False
    for x in args:
        n, i = _flags(x)
        in_nan, in_inf = in_nan or n, in_inf or i
    if nans and out_nan and not in_nan:
        return "nan"
    if infs and out_inf and not (in_inf or in_nan):
        return "inf"
    return None


def _has_sub_jaxpr(params) -> bool:
    for value in params.values():
        for item in value if isinstance(value, tuple) else (value,):
            if hasattr(item, "eqns"):
                return True
    return False


def _source_now():
    """The source of the primitive being computed: the current one, resolved."""
    info = get_current()
    if info is None:
        return here(2)
    pending = info
    while pending.rule is not None and pending.origin is not None:
        pending = pending.origin
    if pending.rule is not None:
        pending.resolve(None)
        if pending.origin is None:
            pending.origin = here(2)
    return info


# --- the message --------------------------------------------------------------------------------


def _where(source) -> str:
    return "<unknown>" if source is None else source.location()


def _pass_of(source) -> tuple[str, str]:
    """(``"forward"``/``"backward"``, how: ``"transpose of sqrt"``, ``"jvp of sin"``, "")."""
    if source is None or not isinstance(source, _Source):
        return "forward", ""
    how = source.describe()
    return source.pass_, "" if how == "forward" else how


def _at(value, index, shape):
    a = np.asarray(value)
    if a.shape == shape:
        return a[index]
    if a.ndim == 0:
        return a[()]
    return None


def _pattern(primitive, args, outs, kind) -> tuple[str, list]:
    """The operation at the first bad element (``0 * inf``), and the input positions
    that are zero or non-finite there."""
    out = np.asarray(outs[0]) if len(outs) == 1 else None
    if out is None:
        return f"{primitive}(...)", []
    bad = np.isnan(out) if kind == "nan" else np.isinf(out)
    index = tuple(int(i) for i in np.argwhere(bad)[0]) if out.ndim else ()
    values = [_at(x, index, out.shape) for x in args]
    names = {"mul": " * ", "div": " / ", "add": " + ", "sub": " - ", "add_any": " + "}
    shown = [repr(float(v)) if v is not None and np.isrealobj(v) else "..." for v in values]
    if primitive.name in names and len(args) == 2:
        text = names[primitive.name].join(shown)
    else:
        text = f"{primitive.name}({', '.join(shown)})"
    special = [
        k
        for k, v in enumerate(values)
        if v is not None and np.isrealobj(v) and (v == 0 or not np.isfinite(v))
    ]
    return text, special


def _error(trace, kind, primitive, args, outs, source) -> FloatingPointError:
    pass_, how = _pass_of(source)
    head = f"invalid value ({kind}) encountered in {primitive.name}, in the {pass_} pass"
    head += f" ({how})" if how else ""
    lines = [f"{head} at {_where(source)}."]
    if source is not None and source.text:
        lines.append(f"    {source.text}")
    text, special = _pattern(primitive, args, outs, kind)
    lines.append(f"  At the first bad element it computed {text}.")
    masked_by = origin = None
    for k in special:
        found = trace.producer(args[k])
        if found is not None:
            made_by, made_at = found
            made_pass, made_how = _pass_of(made_at)
            role = "cotangent" if made_pass == "backward" else "value"
            lines.append(
                f"  Operand {k} (a {role}) was made by {made_by.name} in the {made_pass} pass"
                + (f" ({made_how})" if made_how else "")
                + f" at {_where(made_at)}."
            )
            if made_by.name == "select_n" and made_pass == "backward":
                masked_by = made_at
        if not _finite(args[k]):
            first = trace.first_nonfinite(args[k])
            if first is not None and first != found:
                origin = first
                first_pass, first_how = _pass_of(first[1])
                lines.append(
                    f"  Its non-finite values were first made by {first[0].name} in the "
                    f"{first_pass} pass"
                    + (f" ({first_how})" if first_how else "")
                    + f" at {_where(first[1])}."
                )
            elif found is not None:
                origin = found
    target = _user_primitive(origin[1]) if origin is not None else None
    target = target or (how.split(" of ")[-1] if how else primitive.name)
    if masked_by is not None:
        lines.append(
            f"  select_n at {_where(masked_by)} chose the other branch, so this branch's "
            f"cotangent is 0; the cotangent {text} of {target} at {_where(source)} is "
            f"{'NaN' if kind == 'nan' else kind}: a masked-out value still reaches the "
            "gradient."
        )
    lines.append("  Fix: " + _fix(pass_, how, masked_by is not None, target, primitive))
    error = FloatingPointError("\n".join(lines))
    error.primitive = primitive.name
    error.pass_ = pass_
    error.rule = how
    error.source = source
    error.masked_by = masked_by
    return error


def _user_primitive(source) -> str | None:
    """The user-level primitive a derived source comes from (``sqrt`` for jvp of sqrt)."""
    if source is None or source.rule is None:
        return None
    return source.describe().split(" of ")[-1]


def _fix(pass_, how, masked, target, primitive) -> str:
    if pass_ == "backward" or masked or "jvp" in how:
        return (
            f"the derivative of {target} is not finite at this input; keep the input away "
            f"from it where the result is not wanted (the double-where trick): x_safe = "
            f"mnp.where(ok, x, 1.0); y = mnp.where(ok, {target}(x_safe), 0.0) — masking "
            "only the output leaves 0 * inf in the gradient."
        )
    return (
        f"{primitive.name} got an input outside its domain; if that element is masked later "
        "by mnp.where, mask the input as well (mnp.where(ok, x, safe_value)) so the "
        "forward value and its gradient stay finite."
    )
