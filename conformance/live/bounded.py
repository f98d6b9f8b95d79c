"""A map that forgets its least recently used entries past a size: the live memory's only container.

Forgetting is always safe: a check that no longer remembers an earlier call flags less, never wrongly.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedMap(Generic[K, V]):
    """At most ``size`` entries; reading or writing one makes it the most recent; ``on_forget`` hears of each key let
    go to stay within the size. Not thread-safe on its own."""

    def __init__(self, size: int, on_forget: Callable[[K], None] | None = None) -> None:
        if size < 1:
            raise ValueError("a bounded map needs room for one entry")
        self.size = size
        self.forgotten = 0
        self._on_forget = on_forget
        self._items: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            forgotten, _ = self._items.popitem(last=False)
            self.forgotten += 1
            if self._on_forget is not None:
                self._on_forget(forgotten)

    def setdefault(self, key: K, make: Callable[[], V]) -> V:
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def pop(self, key: K) -> V | None:
        return self._items.pop(key, None)

    def items(self) -> Iterator[tuple[K, V]]:
        """Oldest first; do not change the map while iterating."""
        return iter(self._items.items())
