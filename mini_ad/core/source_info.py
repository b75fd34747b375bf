"""Source information: which line of the user's code an equation comes from.

Every staged equation records a ``SourceInfo``: the first frame outside the ``mini_ad``
package (and NumPy) when it was created — or, when a transform is running a rule for
another equation, a *derived* record that points at that equation's source. The backward
equations of ``sin`` at ``model.py:12`` thus point at ``model.py:12`` too, and say how
they were made (``transpose of sin``).

The *current source* is a context variable, like the current trace. Transforms set it
while running a rule (``with rule_source("jvp", primitive):``) and interpreters set it to
the equation they evaluate (``with current_source(eqn.source):``); ``StagingTrace`` reads
it when it records an equation and walks the Python stack only when nothing is set. The
location (file, line, column, function) is decoded from the frame's code object only when
someone asks for it, so recording costs a frame walk and one small object per equation.

>>> def model(x):
...     return here()
>>> info = model(1.0)
>>> info.function, info.rule is None
('model', True)
>>> derived = DerivedSource(("transpose", "mul", info))
>>> derived.function, derived.describe()
('model', 'transpose of mul')
"""

from __future__ import annotations

import itertools
import linecache
import os
import sys
from contextvars import ContextVar

import numpy as np

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_NUMPY_DIR = os.path.dirname(os.path.abspath(np.__file__)) + os.sep
_SKIPPED = (_PACKAGE_DIR, _NUMPY_DIR)

_current: ContextVar[_Source | None] = ContextVar("mini_ad_current_source", default=None)


class _Source:
    """What both kinds of record answer: where, and how (see ``SourceInfo``)."""

    __slots__ = ()
    rule = None
    primitive = None
    origin = None

    # --- location -------------------------------------------------------------------------
    def user(self) -> SourceInfo | None:
        """The user record at the root of the chain of origins (None if unknown)."""
        info = self
        while info is not None and info.rule is not None:
            info = info.origin
        return info

    @property
    def file(self) -> str | None:
        user = self.user()
        return None if user is None or user.code is None else user.code.co_filename

    @property
    def function(self) -> str | None:
        user = self.user()
        return None if user is None or user.code is None else user.code.co_name

    @property
    def line(self) -> int | None:
        return self._position()[0]

    @property
    def column(self) -> int | None:
        return self._position()[1]

    def _position(self):
        user = self.user()
        if user is None or user.code is None:
            return None, None
        # one (line, end_line, column, end_column) per 2-byte instruction
        position = next(itertools.islice(user.code.co_positions(), user.lasti // 2, None), None)
        if position is None or position[0] is None:
            return user.code.co_firstlineno, None
        return position[0], position[2]

    @property
    def text(self) -> str:
        """The line of source code itself, stripped ("" if it cannot be read)."""
        if self.file is None:
            return ""
        return linecache.getline(self.file, self.line).strip()

    def location(self, short: bool = False) -> str:
        """``file:line:column (function)``, as JAX prints it; ``short`` drops the
        directories and the column."""
        if self.file is None:
            return "<unknown>"
        line, col = self._position()
        if short:
            return f"{os.path.basename(self.file)}:{line} ({self.function})"
        where = f"{self.file}:{line}" + (f":{col}" if col is not None else "")
        return f"{where} ({self.function})"

    # --- provenance -----------------------------------------------------------------------
    def chain(self) -> list[SourceInfo]:
        """This record and its origins, outermost rule first, ending at the user record."""
        out, info = [], self
        while info is not None:
            out.append(info)
            info = info.origin if info.rule is not None else None
        return out

    def describe(self) -> str:
        """How the equation was made: ``"forward"``, ``"jvp of sin"``, ``"transpose of
        sqrt"`` — the outermost rule, applied to the user-level primitive it derives from."""
        derived = [info for info in self.chain() if info.rule is not None]
        if not derived:
            return "forward"
        return f"{derived[0].rule} of {derived[-1].primitive}"

    @property
    def pass_(self) -> str:
        """``"backward"`` for an equation emitted by a transpose rule, else ``"forward"``."""
        return "backward" if self.rule == "transpose" else "forward"

    def __repr__(self):
        rule = f", {self.describe()}" if self.rule is not None else ""
        return f"SourceInfo({self.location(short=True)}{rule})"


class SourceInfo(_Source, tuple):
    """Where an equation came from: a line of the user's code, as ``(code, lasti)`` of
    its frame (a tuple, so recording one is cheap; the location is decoded on demand).

    Records made by transforms are ``DerivedSource``: the same questions (``file``,
    ``line``, ``column``, ``function``, ``location()``, ``describe()``, ``pass_``)
    answered through the equation they derive from.
    """

    __slots__ = ()

    def __new__(cls, code, lasti: int):
        return tuple.__new__(cls, (code, lasti))

    @property
    def code(self):
        return self[0]

    @property
    def lasti(self) -> int:
        return self[1]


class DerivedSource(_Source, list):
    """The source of an equation staged by a transform running ``rule`` (``"jvp"``,
    ``"transpose"``) for ``primitive``; ``origin`` is the source of the equation (or
    primitive application) it was processing — filled in by a stack walk on first use
    when the rule runs on a primitive applied in user code. (A list ``[rule, primitive,
    origin]``: made once per rule application, so made cheaply.)"""

    __slots__ = ()

    @property
    def rule(self) -> str:
        return self[0]

    @property
    def primitive(self):
        return self[1]

    @property
    def origin(self):
        return self[2]

    @origin.setter
    def origin(self, value):
        self[2] = value

    def resolve(self, frame) -> None:
        """Fill in a missing origin: the user's frame at or above ``frame`` (or, if this
        record carries one, the frame where its rule was applied: a shorter walk)."""
        if len(self) > 3:
            frame = self.pop()
        self[2] = _user_frame(frame)

    __eq__ = object.__eq__
    __hash__ = object.__hash__


_skipped_files: dict[str, bool] = {}  # co_filename -> inside mini_ad or NumPy


def here(skip: int = 0) -> SourceInfo | None:
    """The first frame outside mini_ad and NumPy, from the caller's (``skip`` frames
    further up) to the top of the stack; None if there is none."""
    try:
        frame = sys._getframe(skip + 1)
    except ValueError:
        return None
    return _user_frame(frame)


def _user_frame(frame) -> SourceInfo | None:
    # In CPython >= 3.11 each frame object is made on first access, so the walk starts
    # as high as it can (``sys._getframe(n)`` skips frames without making them).
    skipped = _skipped_files
    while frame is not None:
        name = frame.f_code.co_filename
        inside = skipped.get(name)
        if inside is None:
            inside = skipped[name] = name.startswith(_SKIPPED)
        if not inside:
            code, lasti = frame.f_code, frame.f_lasti
            key = (id(code), lasti)
            info = _user_records.get(key)
            if info is None or info[0] is not code:
                if len(_user_records) >= _RECORDS_KEPT:
                    _user_records.clear()
                info = _user_records[key] = tuple.__new__(SourceInfo, (code, lasti))
            return info
        frame = frame.f_back
    return None


# Records are immutable once resolved, so equal ones are shared: a loop in user code stages
# its equations with a handful of records, not one object per equation for the cyclic
# collector to scan. (Keyed by ids; each record holds what its key's ids name, so an id
# cannot be reused while its entry lives. Bounded: cleared when full.)
_RECORDS_KEPT = 4096
_user_records: dict = {}  # (id(code), lasti) -> SourceInfo
_derived_records: dict = {}  # (rule, id(primitive), id(origin)) -> DerivedSource


def derived(rule: str, primitive, origin: _Source | None) -> DerivedSource:
    """The record of an equation staged by ``rule`` of ``primitive`` applied to an equation
    whose source is ``origin``: one shared record per such triple. A missing origin (to be
    found by a stack walk on first use, which fills it in) gets a record of its own."""
    if origin is None:
        return DerivedSource((rule, primitive, None))
    key = (rule, id(primitive), id(origin))
    info = _derived_records.get(key)
    if info is None or info[1] is not primitive or info[2] is not origin:
        if len(_derived_records) >= _RECORDS_KEPT:
            _derived_records.clear()
        info = _derived_records[key] = DerivedSource((rule, primitive, origin))
    return info


def current() -> _Source | None:
    """The source to record for an equation staged now: the current source (its pending
    origin resolved by a stack walk), else the user's frame. Called by a trace's
    ``process_primitive``, whose caller's caller (``bind``'s caller) is the first frame
    that can be the user's."""
    info = _current.get()
    if info is None:
        return _user_frame(sys._getframe(3))
    pending = info
    while type(pending) is DerivedSource:  # (a list [rule, primitive, origin, ...])
        if pending[2] is None:  # a rule run on a primitive applied in user code
            pending.resolve(sys._getframe(3))
            break
        pending = pending[2]
    return info


class current_source:
    """``with current_source(info):`` equations staged in the block record ``info``
    (interpreters set it to the equation they evaluate). ``None`` leaves it unchanged."""

    __slots__ = ("info", "token")

    def __init__(self, info: SourceInfo | None):
        self.info = info

    def __enter__(self):
        self.token = None if self.info is None else _current.set(self.info)
        return self.info

    def __exit__(self, *exc):
        if self.token is not None:
            _current.reset(self.token)
        return False


class user_code:
    """``with user_code():`` the block runs the user's own function (a ``jit``, ``scan``
    or custom-rule body being staged): its equations record its lines, not the source of
    the rule or equation being processed around it."""

    __slots__ = ("token",)

    def __enter__(self):
        self.token = _current.set(None)

    def __exit__(self, *exc):
        _current.reset(self.token)
        return False


def rule_source(rule: str, primitive, origin: SourceInfo | None = None) -> current_source:
    """``with rule_source("transpose", p, eqn.source):`` equations staged while a rule of
    ``p`` runs are derived from ``origin`` (default: the current source, or the user's
    frame found on first use)."""
    if origin is None:
        origin = _current.get()
    return current_source(DerivedSource((rule, primitive, origin)))


def get_current() -> SourceInfo | None:
    """The current source without a stack walk (None outside any rule or interpreter)."""
    return _current.get()
