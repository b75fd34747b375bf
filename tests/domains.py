"""Random-argument generators shared by the primitive tables: each ``name(*shape)``
returns ``rng -> array`` drawing from a domain where the primitive is smooth."""

from __future__ import annotations


def real(*shape):
    return lambda rng: rng.normal(size=shape)


def pos(*shape):
    return lambda rng: rng.uniform(0.5, 2.0, size=shape)


def unit(*shape):
    return lambda rng: rng.uniform(-0.85, 0.85, size=shape)


def gt1(*shape):
    return lambda rng: rng.uniform(1.2, 3.0, size=shape)


def away0(*shape):
    """|x| in [0.5, 2] with random signs."""
    return lambda rng: rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2.0, size=shape)


def boolean(*shape):
    return lambda rng: rng.integers(0, 2, size=shape).astype(bool)
