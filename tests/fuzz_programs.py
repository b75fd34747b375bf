"""Random programs for the transform fuzz (``tests/test_fuzz_transforms.py``).

A program is a list of steps applied to a working array ``h`` (it starts as the first
input; the others join through broadcasting binary steps). Steps cover elementwise math,
shape ops, every indexing form (negative steps, ``None``, ``...``, integer arrays with
repeats, negative indices), reductions, linear algebra on well-conditioned matrices, and
``cond``/``scan``/``fori_loop``. Each program is written once against a namespace
``(np, lax)`` and run three ways: NumPy with a Python ``lax`` (which also builds the
program and measures the distance to every kink), ``mini_ad.numpy`` and ``jax.numpy``.

A program is drawn from an integer seed, so a failure names its seed and ``describe``
prints it.
"""

from __future__ import annotations

import types

import numpy as np
from test_hypothesis_jax import BINARY, UNARY

MAX_SIZE = 24  # elements of h: keeps Hessian-vector products and XLA compiles cheap
KINK_MARGIN = 1e-3  # programs closer than this to a kink are resampled


class _PyLax:
    """``lax`` for NumPy: control flow run eagerly in Python."""

    @staticmethod
    def cond(pred, true_fun, false_fun, *ops):
        return true_fun(*ops) if pred else false_fun(*ops)

    @staticmethod
    def scan(f, init, xs):
        carry, ys = init, []
        for x in xs:
            carry, y = f(carry, x)
            ys.append(y)
        return carry, np.stack(ys)

    @staticmethod
    def fori_loop(lower, upper, body, init):
        val = init
        for i in range(lower, upper):
            val = body(i, val)
        return val


NUMPY = types.SimpleNamespace(np=np, lax=_PyLax, margins=None)

# --- kinks: the distance of a value to the nearest non-differentiable point ------------------

_UNARY_KINKS = {
    "abs": lambda x: np.abs(x),
    "leaky": lambda x: np.abs(x),
    "clip": lambda x: np.abs(np.abs(x) - 0.8),
}
_BINARY_KINKS = {
    "maximum": lambda x, y: np.abs(x - y),
    "minimum": lambda x, y: np.abs(x - y),
    "where": lambda x, y: np.abs(x - y),
}


def _margin(ns, value):
    if ns.margins is not None:
        ns.margins.append(float(np.min(value)) if np.size(value) else np.inf)


# --- steps: (name, params) -> h ---------------------------------------------------------------


def _index_forms(shape, rng):
    n0 = shape[0]
    forms = [
        (slice(None, None, -1),),
        (slice(None, None, -2),),
        (slice(n0 - 1, None, -1),),
        (None,),
        (Ellipsis, None),
        (-1,),
        (np.array(rng.integers(0, n0, size=4)),),  # repeats likely
        (np.array([-1, 0, -1]),),
    ]
    if len(shape) >= 2:
        n1 = shape[1]
        forms += [
            (slice(None), slice(None, None, -1)),
            (Ellipsis, 0),
            (Ellipsis, slice(None, None, -2)),
            (slice(1, None), None, slice(None, None, -1)),
            (np.array(rng.integers(0, n0, size=3)), slice(None, None, -1)),
            (slice(None), np.array(rng.integers(0, n1, size=3))),
            (-1, Ellipsis),
        ]
    return forms


def _choose_step(rng, shape, xs_shapes):
    """A step valid for ``h`` of ``shape`` (name, params)."""
    ndim, size = len(shape), int(np.prod(shape, dtype=int))
    options = ["unary"] * 4 + ["matmul", "fori"]
    others = [i for i, s in enumerate(xs_shapes) if _broadcasts(s, shape)]
    if others:
        options += ["binary"] * 3
    if ndim >= 1:
        options += ["index"] * 3 + ["reduce", "cumsum", "flip", "reshape", "scan", "cond"]
        options += ["linalg"]
        if size * 2 <= MAX_SIZE:
            options += ["concat", "stack"]
    if ndim >= 2:
        options += ["transpose", "swapaxes"]
    if ndim <= 2 and size * 2 <= MAX_SIZE:
        options += ["expand", "broadcast"]
    if 1 in shape:
        options += ["squeeze"]
    if ndim == 0:
        options += ["cond"]
    name = str(rng.choice(options))
    if name == "unary":
        return name, (str(rng.choice(sorted(UNARY))),)
    if name == "binary":
        return name, (
            str(rng.choice(sorted(BINARY))),
            int(rng.choice(others)),
            bool(rng.integers(2)),
        )
    if name == "index":
        forms = _index_forms(shape, rng)
        return name, (forms[int(rng.integers(len(forms)))],)
    if name in ("reduce", "cumsum", "flip", "expand"):
        op = str(rng.choice(["sum", "mean", "max", "prod"])) if name == "reduce" else None
        return name, (op, int(rng.integers(0, ndim + (name == "expand"))), bool(rng.integers(2)))
    if name == "reshape":
        return name, ((-1,) if ndim != 1 or size % 2 else (2, -1),)
    if name == "transpose":
        return name, (tuple(int(i) for i in rng.permutation(ndim)),)
    if name == "swapaxes":
        return name, (0, ndim - 1)
    if name in ("concat", "stack", "broadcast"):
        return name, (int(rng.integers(0, ndim + (name != "concat"))) if ndim else 0,)
    if name == "squeeze":
        return name, (shape.index(1),)
    if name == "matmul":
        k = shape[-1] if ndim else 1
        return name, (rng.uniform(-0.7, 0.7, size=(k, int(rng.integers(1, 4)))),)
    if name == "linalg":
        n = int(rng.integers(2, 4))
        kind = str(rng.choice(["solve", "inv", "det", "slogdet", "cholesky", "eigvalsh"]))
        return name, (kind, n, rng.uniform(-0.5, 0.5, size=(n, n)))
    if name == "cond":
        return name, (int(rng.integers(3)),)
    if name == "scan":
        return name, (bool(rng.integers(2)),)
    return name, (int(rng.integers(1, 4)),)  # fori


def _broadcasts(small, big) -> bool:
    try:
        return np.broadcast_shapes(small, big) == tuple(big)
    except ValueError:
        return False


def apply_step(ns, step, h, xs):
    """One step in namespace ``ns`` (``.np``, ``.lax``, ``.margins``)."""
    np_, lax = ns.np, ns.lax
    name, params = step
    if name == "unary":
        if params[0] in _UNARY_KINKS:
            _margin(ns, _UNARY_KINKS[params[0]](np.asarray(h)) if ns.margins is not None else 0)
        return UNARY[params[0]](np_, h)
    if name == "binary":
        op, i, swap = params
        a, b = (xs[i], h) if swap else (h, xs[i])
        if op in _BINARY_KINKS and ns.margins is not None:
            _margin(ns, _BINARY_KINKS[op](np.asarray(a), np.asarray(b)))
        return BINARY[op](np_, a, b)
    if name == "index":
        return h[params[0]]
    if name == "reduce":
        op, axis, keep = params
        if op == "max" and ns.margins is not None:
            top = np.sort(np.asarray(h), axis=axis)
            _margin(ns, top.take(-1, axis) - top.take(-2, axis) if h.shape[axis] > 1 else np.inf)
        return getattr(np_, op)(h, axis=axis, keepdims=keep)
    if name == "cumsum":
        return np_.cumsum(h, axis=params[1])
    if name == "flip":
        return np_.flip(h, axis=params[1])
    if name == "expand":
        return np_.expand_dims(h, params[1])
    if name == "reshape":
        return np_.reshape(h, params[0])
    if name == "transpose":
        return np_.transpose(h, params[0])
    if name == "swapaxes":
        return np_.swapaxes(h, *params)
    if name == "concat":
        return np_.concatenate([h, np_.sin(h)], axis=params[0])
    if name == "stack":
        return np_.stack([h, 0.5 * h], axis=params[0])
    if name == "broadcast":
        shape = list(h.shape)
        shape.insert(params[0], 2)
        return np_.broadcast_to(np_.expand_dims(h, params[0]), tuple(shape)) * 1.0
    if name == "squeeze":
        return np_.squeeze(h, axis=params[0])
    if name == "matmul":
        return (h if h.ndim else np_.reshape(h, (1,))) @ params[0]
    if name == "linalg":
        return _linalg(ns, h, *params)
    if name == "cond":
        total = np_.sum(h)
        if ns.margins is not None:
            _margin(ns, abs(float(total)))
        branches = [
            (lambda v: np_.sin(v) * 2.0, lambda v: v * v),
            (lambda v: np_.tanh(v), lambda v: v - 1.0),
            (lambda v: v * total, lambda v: np_.cos(v)),
        ][params[0]]
        return lax.cond(total > 0, *branches, h)
    if name == "scan":

        def body(carry, row):
            new = carry * 0.5 + np_.sin(row)
            return new, carry * row

        carry, ys = lax.scan(body, h[0] * 0.0, h[::-1] if params[0] else h)
        return ys + carry
    if name == "fori":
        return lax.fori_loop(0, params[0], lambda i, c: np_.sin(c) * 0.9 + 0.1 * c, h)
    raise AssertionError(f"unknown step {name}")


def _linalg(ns, h, kind, n, noise):
    """A well-conditioned n x n matrix built from ``h`` (3 I + bounded terms), then one
    linear-algebra function; the result is a vector of length n (or a scalar times it)."""
    np_ = ns.np
    flat = np_.reshape(h, (-1,))
    while flat.shape[0] < n:
        flat = np_.concatenate([flat, np_.cos(flat)])
    a = flat[:n]
    m = 3.0 * np.eye(n) + 0.5 * np_.tanh(a[:, None] * a[None, :] + noise)
    if kind == "solve":
        return np_.linalg.solve(m, a)
    if kind == "inv":
        return np_.linalg.inv(m) @ a
    if kind == "det":
        return np_.linalg.det(m) * a
    if kind == "slogdet":
        return np_.linalg.slogdet(m)[1] + a
    if kind == "cholesky":
        return np_.linalg.cholesky(m @ m.T + np.eye(n)) @ a
    spread = np.diag(np.arange(n) * 2.0)  # well-separated eigenvalues
    if ns.margins is not None:
        w = np.linalg.eigvalsh(np.asarray(m + m.T + spread))
        _margin(ns, np.diff(w))
    return np_.linalg.eigvalsh(m + m.T + spread) * a


def run_program(ns, program, xs):
    h = xs[0]
    for step in program["steps"]:
        h = apply_step(ns, step, h, xs)
    return h


BASE_SHAPES = [(), (3,), (4,), (2, 3), (3, 3)]


def draw_program(seed: int, tries: int = 50):
    """The program of ``seed``: ``{"steps", "xs", "weights", "seed"}``, with inputs at least
    ``KINK_MARGIN`` away from every kink. Returns ``(program, resampled)``; ``resampled``
    counts the drafts dropped for a kink (or for growing past ``MAX_SIZE``)."""
    rng = np.random.default_rng(seed)
    for resampled in range(tries):
        base = BASE_SHAPES[int(rng.integers(len(BASE_SHAPES)))]
        shapes = [base] + [
            tuple(d if rng.integers(2) else 1 for d in base)[int(rng.integers(0, len(base) + 1)) :]
            for _ in range(int(rng.integers(0, 3)))
        ]
        xs = [rng.uniform(-1.5, 1.5, size=s) for s in shapes]
        ns = types.SimpleNamespace(np=np, lax=_PyLax, margins=[])
        steps, h = [], xs[0]
        with np.errstate(all="ignore"):
            for _ in range(int(rng.integers(2, 7))):
                step = _choose_step(rng, h.shape, [x.shape for x in xs])
                steps.append(step)
                h = apply_step(ns, step, h, xs)
                if h.size == 0:  # an empty working array (x[1:] of a length-1 axis): redraw
                    break
        too_big = h.size == 0 or h.size > MAX_SIZE or not np.all(np.isfinite(h))
        if too_big or (ns.margins and min(ns.margins) < KINK_MARGIN):
            continue
        weights = rng.uniform(0.5, 1.5, size=h.shape)
        return {"steps": steps, "xs": xs, "weights": weights, "seed": seed}, resampled
    raise RuntimeError(f"seed {seed}: no program away from kinks in {tries} drafts")


def describe(program) -> str:
    steps = " -> ".join(f"{name}{params!r}" for name, params in program["steps"])
    shapes = [x.shape for x in program["xs"]]
    return f"seed {program['seed']}: inputs {shapes}: {steps}"
