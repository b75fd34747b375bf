"""``python -m mini_ad.demo``: a function, its jaxpr, its value and its derivatives."""

import numpy as np

import mini_ad as ad
import mini_ad.numpy as mnp


def loss(w, x, y):
    return mnp.mean((mnp.tanh(x @ w) - y) ** 2)


def main() -> None:
    f = lambda x: mnp.sum(mnp.sin(x) * 2.0)  # noqa: E731
    x = mnp.ones(3)
    print("f(x) = sum(sin(x) * 2.0) at x = ones(3)")
    print(ad.make_jaxpr(f)(x))
    print("value:", f(x))
    print("grad: ", ad.grad(f)(x))
    print("\nd/dx sin, second derivative, as a program:")
    print(ad.make_jaxpr(ad.grad(ad.grad(mnp.sin)))(1.0))
    print("d3/dx3 x**3 at 4.0 =", ad.grad(ad.grad(ad.grad(lambda t: t**3)))(4.0))
    rng = np.random.default_rng(0)
    w, xs, ys = rng.normal(size=3), rng.normal(size=(5, 3)), rng.normal(size=5)
    print("\ngradient of a tiny regression loss:", ad.grad(loss)(w, xs, ys))


if __name__ == "__main__":
    main()
