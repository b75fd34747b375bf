"""Path entries: how one node names each of its children (JAX: ``jax.tree_util`` keys).

A key path is a tuple of these entries, from the root down to a leaf. Each entry
prints as the Python expression that would fetch the child, so ``keystr`` of a path
reads like indexing code: ``['a'][0].b``.

This module imports nothing from mini_ad.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Sequence
from typing import Any


@dataclasses.dataclass(frozen=True)
class SequenceKey:
    """The child at position ``idx`` of a tuple or list.

    >>> SequenceKey(0), str(SequenceKey(0))
    (SequenceKey(idx=0), '[0]')
    """

    idx: int

    def __str__(self) -> str:
        return f"[{self.idx!r}]"


@dataclasses.dataclass(frozen=True)
class DictKey:
    """The child under ``key`` of a dict, OrderedDict or defaultdict.

    >>> DictKey("a"), str(DictKey("a"))
    (DictKey(key='a'), "['a']")
    """

    key: Hashable

    def __str__(self) -> str:
        return f"[{self.key!r}]"


@dataclasses.dataclass(frozen=True)
class GetAttrKey:
    """The child in attribute ``name`` (namedtuple fields, dataclass fields).

    >>> GetAttrKey("w"), str(GetAttrKey("w"))
    (GetAttrKey(name='w'), '.w')
    """

    name: str

    def __str__(self) -> str:
        return f".{self.name}"


@dataclasses.dataclass(frozen=True)
class FlattenedIndexKey:
    """The child at position ``key`` of a custom node's flattened children.

    Used for classes registered without key names (``register_pytree_node``).

    >>> FlattenedIndexKey(1), str(FlattenedIndexKey(1))
    (FlattenedIndexKey(key=1), '[<flat index 1>]')
    """

    key: int

    def __str__(self) -> str:
        return f"[<flat index {self.key!r}>]"


KeyEntry = Any  # one of the key classes above, or any object with a __str__
KeyPath = tuple[KeyEntry, ...]


def _simple_str(entry: KeyEntry) -> str:
    for attr in ("idx", "key", "name"):
        if hasattr(entry, attr):
            return str(getattr(entry, attr))
    return str(entry)


def keystr(keys: Sequence[KeyEntry], *, simple: bool = False, separator: str = "") -> str:
    """Write a key path as text.

    By default each entry is written as the indexing code that fetches it, joined by
    ``separator`` (empty). With ``simple=True`` each entry is written bare (the index,
    key or attribute name), which with ``separator="/"`` gives file-path-like names.

    Args:
      keys: a key path, as returned by ``tree_flatten_with_path``.
      simple: write bare names instead of indexing code.
      separator: the text put between entries.

    Returns:
      The path as a string.

    >>> path = (DictKey("a"), SequenceKey(0), GetAttrKey("b"))
    >>> keystr(path)
    "['a'][0].b"
    >>> keystr(path, simple=True, separator="/")
    'a/0/b'
    """
    write = _simple_str if simple else str
    return separator.join(write(entry) for entry in keys)
