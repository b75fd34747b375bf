"""The row type and argument domains of the primitive table (see ``autodiff_cases``)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from domains import away0, boolean, gt1, pos, real, unit  # noqa: F401 - re-exported to the tables

import mini_ad  # noqa: F401 - registers the primitives

jax = __import__("pytest").importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy
lax = jax.lax

# --- argument domains -------------------------------------------------------------------------


def off_grid(*shape):
    """Values at least 0.1 away from every integer and half-integer (round/floor kinks)."""
    return lambda rng: rng.integers(-3, 3, size=shape) + rng.uniform(0.1, 0.4, size=shape)


@dataclass
class Row:
    primitive: str
    mini: object
    jax: object
    arg_specs: list
    linear: bool = False
    variant: str = ""
    finite_differences: bool = True  # False where the derivative is zero by fiat
    modes: tuple = ("fwd", "rev")  # the autodiff modes mini_ad supports for this row
    jax_modes: tuple = ("fwd", "rev")  # those JAX supports (custom_vjp: rev; while: fwd)
    staged_in_linearize: bool = False  # the primitive appears only in linearized programs
    staged_reverse: bool = True  # False: reverse mode needs concrete values (while_loop)
    max_order: int = 2  # 1: JAX has no second derivative either (eig's eigenvalues)

    @property
    def id(self) -> str:
        return f"{self.primitive}-{self.variant}" if self.variant else self.primitive

    def args(self) -> tuple:
        rng = np.random.default_rng(zlib.crc32(self.id.encode()))
        return tuple(np.asarray(spec(rng)) for spec in self.arg_specs)


ROWS: list[Row] = []
INTEGER_OUTPUT: list[Row] = []


def row(primitive, mini, jax_fn, *specs, linear=False, variant="", **flags):
    ROWS.append(Row(primitive, mini, jax_fn, list(specs), linear, variant, **flags))


def int_row(primitive, mini, jax_fn, *specs, variant=""):
    INTEGER_OUTPUT.append(Row(primitive, mini, jax_fn, list(specs), False, variant))


S = (2, 3)
C23 = np.linspace(-1.5, 2.0, 6).reshape(S)  # a constant operand for linear variants
