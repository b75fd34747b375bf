"""Exceptions raised by mini_ad, mirroring ``jax.errors``.

Each class subclasses the builtin exception JAX uses for the same situation, so
``except TypeError`` code written for JAX keeps working.
"""

ERRORS_URL = "https://docs.jax.dev/en/latest/errors.html"


class ConcretizationTypeError(TypeError):
    """A traced value was used where a concrete Python value is needed."""


class TracerBoolConversionError(ConcretizationTypeError):
    """``bool()`` (an ``if``, ``and``, ``while``) was applied to a traced value."""


class TracerIntegerConversionError(TypeError):
    """``__index__`` (``range(x)``, ``lst[x]``) was applied to a traced value."""


class TracerArrayConversionError(TypeError):
    """A traced value was converted to a NumPy array (``np.asarray(x)``, ``np.sin(x)``)."""


class NonConcreteBooleanIndexError(IndexError):
    """A boolean mask with a traced value was used as an index."""


class UnexpectedTracerError(Exception):
    """A tracer was used after the transformation that created it had ended."""


class ShapeError(TypeError, ValueError):
    """Operand shapes that do not fit (matmul, broadcasting, reshape, concatenate).

    JAX raises TypeError here and NumPy ValueError; this class is both, so handlers
    written for either keep working."""
