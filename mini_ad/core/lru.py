"""A bounded cache: least recently used entries leave first, one at a time.

Every cache in mini_ad that grows with its inputs (jit's traces per signature, the JAX
bridge's traces, derived sub-programs of control flow) is one of these: bounded per key,
never cleared wholesale behind the user's back, and safe to share between threads.

>>> cache = LRU(maxsize=2)
>>> cache.get_or_build("a", lambda: 1), cache.get_or_build("b", lambda: 2)
(1, 2)
>>> cache.get_or_build("c", lambda: 3)  # "a" was the least recently used: it leaves
3
>>> "a" in cache, len(cache)
(False, 2)
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class LRU:
    """A mapping of at most ``maxsize`` entries, evicting the least recently used."""

    __slots__ = ("maxsize", "_entries", "_lock")

    def __init__(self, maxsize: int = 4096):
        self.maxsize = maxsize
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            if key not in self._entries:
                return default
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def get_or_build(self, key, build):
        """The entry for ``key``, built by ``build()`` (outside the lock) if missing."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = build()
            self.put(key, value)
        return value

    def clear(self) -> None:
        """Forget every entry (only ever on the owner's explicit request)."""
        with self._lock:
            self._entries.clear()

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)


_MISSING = object()

__all__ = ["LRU"]
