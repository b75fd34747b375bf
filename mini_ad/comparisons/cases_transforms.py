"""Transform options and pytrees (``np.ad`` is ``mini_ad`` or ``jax``), and higher order.

A case that calls a transform inside is itself differentiated by the suite, so every
case here also checks derivatives *of* transforms (second order and beyond).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as onp

from mini_ad.comparisons.registry import A, case

Params = namedtuple("Params", ["w", "b"])


def _loss(np, params, x):
    return np.sum(np.tanh(x @ params["w"] + params["b"]) ** 2)


# --- pytrees and options ----------------------------------------------------------------------


@case("transforms", {"w": A(3, 2), "b": A(2)}, A(4, 3))
def dict_params(np, params, x):
    return _loss(np, params, x)


@case("transforms", (A(3), [A(2), A(2, 2)]), 1.5)
def nested_tuple_list(np, tree, s):
    a, (b, c) = tree
    return np.sum(a) * s + np.sum(np.sin(c @ b)) * np.sum(a**2)


@case("transforms", Params(A(3, 2), A(2)), A(3))
def namedtuple_params(np, p, x):
    return np.sum(np.exp(x @ p.w) * p.b)


@case("transforms", A(3), A(3))
def dict_and_list_outputs(np, x, y):
    return {"sum": x + y, "parts": [x * y, np.sin(x)], "scalar": np.dot(x, y)}


@case("transforms", A(3), A(3))
def grad_argnums_tuple(np, x, y):
    gx, gy = np.ad.grad(lambda a, b: np.sum(np.sin(a) * b**2), argnums=(0, 1))(x, y)
    return gx * gy


@case("transforms", A(3), A(2))
def grad_argnums_negative(np, x, y):
    return np.ad.grad(lambda a, b: np.sum(a) * np.sum(b**3), argnums=-1)(x, y) * x[:2]


@case("transforms", A(3))
def value_and_grad_has_aux(np, x):
    def f(a):
        return np.sum(a**3), {"mean": np.mean(a), "norm": np.linalg.norm(a)}

    (value, aux), g = np.ad.value_and_grad(f, has_aux=True)(x)
    return value * aux["mean"] + np.sum(g * aux["norm"])


@case("transforms", A(3))
def grad_has_aux(np, x):
    g, aux = np.ad.grad(lambda a: (np.sum(np.cos(a)), a * 2.0), has_aux=True)(x)
    return g + aux


@case("transforms", {"w": A(3, 2), "b": A(2)}, A(4, 3))
def grad_of_dict_params(np, params, x):
    g = np.ad.grad(lambda p: _loss(np, p, x))(params)
    return np.sum(g["w"] ** 2) + np.sum(g["b"])  # gradient norm (a regularizer): second order


@case("transforms", A(3), A(3))
def jvp_inside(np, x, v):
    y, t = np.ad.jvp(lambda a: np.sin(a) * a, (x,), (v,))
    return y * t


@case("transforms", A(3), A(2))
def vjp_inside(np, x, u):
    y, pullback = np.ad.vjp(lambda a: np.stack([np.sum(a**2), np.prod(a)]), x)
    (g,) = pullback(u)
    return g * y[0]


@case("transforms", A(3))
def linearize_inside(np, x):
    y, f_jvp = np.ad.linearize(lambda a: np.exp(a) * np.sin(a), x)
    return y + f_jvp(np.ones(3))


@case("transforms", A(2), A(3))
def jacobians_inside(np, x, y):
    f = lambda a, b: np.outer(np.sin(a), b**2)
    return np.sum(np.ad.jacrev(f, argnums=(0, 1))(x, y)[1] * np.ad.jacfwd(f)(x, y).sum())


@case("transforms", A(3))
def hessian_inside(np, x):
    return np.ad.hessian(lambda a: np.sum(a**3 * np.sin(a)))(x) @ x


@case("transforms", A(4), fd=False, note="stop_gradient: not the true derivative, by design")
def stop_gradient(np, x):
    return np.sum(x * np.lax.stop_gradient(x**2)) + np.sum(np.lax.stop_gradient(np.sin(x)))


@case("transforms", A(3), A(3))
def python_if_on_values(np, x, y):
    # concrete primals under grad/jvp: Python control flow on values works (not under jit)
    if np.sum(x) > 0:
        return np.sum(np.sin(x) * y)
    return np.sum(np.cos(x) * y)


# --- higher order (up to 4th) -------------------------------------------------------------------


@case("higher_order", A(3, lo=-1.5, hi=1.5), order=4)
def sin_fourth(np, x):
    return np.sum(np.sin(x) * x)


@case("higher_order", A(3, lo=-1, hi=1), order=4)
def exp_of_square(np, x):
    return np.sum(np.exp(-x * x) * np.tanh(x))


@case("higher_order", A(2, lo=0.5, hi=2), A(2, lo=0.5, hi=2), order=4)
def mixed_partials(np, x, y):
    return np.sum(np.log(x + y**2) * x**3 / y)


@case("higher_order", A(3, lo=-1, hi=1), order=4)
def vector_output_fourth(np, x):
    return np.stack([np.sum(x**4), np.prod(np.cos(x)), np.sum(np.arctan(x) * x)])


@case("higher_order", 0.7, order=4)
def grad_of_grad_of_grad(np, x):
    d = np.ad.grad(np.ad.grad(np.ad.grad(lambda a: a**5 * np.sin(a))))
    return d(x)  # third derivative, then up to three more by the suite: 6th order


@case("higher_order", A(2, lo=-1, hi=1))
def hessian_of_hessian(np, x):
    h = np.ad.hessian(np.ad.hessian(lambda a: np.sum(np.exp(a[0] * a[1]) + a**4)))
    return h(x)  # a (2, 2, 2, 2) tensor of fourth derivatives


@case("higher_order", A(3, lo=-1, hi=1), A(3))
def forward_over_reverse(np, x, v):
    g = np.ad.grad(lambda a: np.sum(np.tanh(a) ** 3))
    return np.ad.jvp(g, (x,), (v,))[1]  # a Hessian-vector product


@case("higher_order", A(3, lo=-1, hi=1), A(3))
def reverse_over_forward(np, x, v):
    f = lambda a: np.ad.jvp(lambda b: np.sum(np.sin(b) * b**2), (a,), (v,))[1]
    return np.ad.grad(f)(x)


@case("higher_order", onp.array([0.3, -0.4]), order=3)
def jacfwd_jacrev_jacfwd(np, x):
    f = lambda a: np.stack([a[0] ** 2 * a[1], np.sin(a[0] * a[1])])
    return np.ad.jacfwd(np.ad.jacrev(np.ad.jacfwd(f)))(x)
