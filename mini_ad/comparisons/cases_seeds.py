"""The programs of the five seed tutorials (/work/shared/seeds), written against ``np``.

000: ((x+1)**2).sum() and a three-layer CELU network (hidden width 4 instead of 10, to
     keep the Hessian small).
001: least-squares line fit: mean squared error, and gradient descent steps.
002: calc(a): b = 2a + 1, c = b², d = c / (c + 2), e = mean(d).
003: higher derivatives of x³ at 4 (48, 24, 6) and mixed partials of (x + 2y)³ at (4, 3).
004: x³ + x² + x + 1 at 2 (17, 14, 6), exp and sin to third order, a two-layer linear
     model, and the squared-error loss trained by SGD.
"""

from __future__ import annotations

import numpy as onp

from mini_ad.comparisons.registry import A, case


@case("seeds", onp.ones((2, 2)))
def seed000_square_sum(np, x):
    return ((x + 1) ** 2).sum()


@case("seeds", A(3, 4), A(4, 4), A(4, 1))
def seed000_celu_network(np, w1, w2, w3):
    x = np.array([1.0, -2.0, 3.0])
    h = np.nn.celu(np.matmul(w1.T, x))
    h = np.nn.celu(np.matmul(w2.T, h))
    y = np.nn.celu(np.matmul(w3.T, h))
    return np.mean((y - np.zeros(1)) ** 2)


_X = onp.arange(-10.0, 11.0)
_Y = 2.0 * _X - 4.0 + onp.random.default_rng(1).standard_normal(21)


@case("seeds", onp.array([1.0, 0.0]))
def seed001_mse_line_fit(np, params):
    w, b = params[0], params[1]
    p = w * _X + b
    return ((p - _Y) ** 2).mean()


@case("seeds", onp.array([1.0, 0.0]))
def seed001_gradient_descent(np, params):
    loss = lambda p: ((p[0] * _X + p[1] - _Y) ** 2).mean()
    for _ in range(3):  # differentiate the loss after three steps w.r.t. the initial params
        params = params - 1e-3 * np.ad.grad(loss)(params)
    return loss(params)


@case("seeds", onp.array([1.0, 2.0, 3.0]))
def seed002_calc(np, a):
    b = a * 2 + 1
    c = b * b
    d = c / (c + 2)
    return d.mean()


@case("seeds", 4.0, order=4)
def seed003_cube(np, x):
    return x**3


@case("seeds", 4.0, 3.0, order=4)
def seed003_mixed_partials(np, x, y):
    return (x + 2 * y) ** 3


@case("seeds", 2.0, order=4)
def seed004_cubic_polynomial(np, x):
    return x**3 + x**2 + x + 1


@case("seeds", onp.array([1.0]), onp.array([3.141]), order=3)
def seed004_exp_sin(np, x, y):
    return np.exp(x) + np.sin(y)


@case("seeds", onp.array([2.0]), onp.array([-10.0]), onp.array([4.0]), onp.array([7.0]))
def seed004_two_layer_linear(np, w1, b1, w2, b2):
    x = 3.0
    return (w2 * (w1 * x + b1) + b2)[0]


@case("seeds", onp.array([5.0]), onp.array([1.0]))
def seed004_sgd_loss(np, w, b):
    x, true, lr = 3.0, 10.0, 0.01
    loss = lambda w, b: np.sum((w * x + b - true) ** 2)
    for _ in range(3):  # the tutorial's update w <- w - lr dL/dw, differentiated through
        gw, gb = np.ad.grad(loss, argnums=(0, 1))(w, b)
        w, b = w - lr * gw, b - lr * gb
    return loss(w, b)
