"""A small in-process cache whose entries expire, bounded in size."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TTLCache(Generic[K, V]):
    """Entries live `seconds` (0 disables the cache); the oldest go first beyond `size`."""

    def __init__(self, *, seconds: float, size: int = 10_000):
        self.seconds = seconds
        self.size = size
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._loading: dict[K, asyncio.Future[V | None]] = {}  # loads in flight
        self._generation = 0  # bumped by every forget: a load that started before is not kept

    async def get_or_load(self, key: K, load: Callable[[], Awaitable[V | None]]) -> V | None:
        """The live value, or load it; concurrent callers for one key share one load (a task
        of its own, so a caller that goes away cancels nothing), and a None is not kept."""
        value = self.get(key)
        if value is not None or self.seconds <= 0:
            return value if value is not None else await load()
        task = self._loading.get(key)
        if task is None:
            task = self._loading[key] = asyncio.ensure_future(load())
            task.add_done_callback(partial(self._loaded, key, self._generation))
        return await asyncio.shield(task)

    def _loaded(self, key: K, generation: int, task: asyncio.Future[V | None]) -> None:
        del self._loading[key]
        if task.cancelled() or task.exception() is not None:
            return  # the callers get the error; nothing is kept
        value = task.result()
        if value is not None and generation == self._generation:  # no forget meanwhile
            self.put(key, value)

    def get(self, key: K) -> V | None:
        """The live value, or None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, key: K, value: V) -> None:
        """Keep the value for the cache's lifetime."""
        if self.seconds <= 0:
            return
        self._entries[key] = (time.monotonic() + self.seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def forget(self, key: K) -> None:
        """Drop one entry now."""
        self._generation += 1
        self._entries.pop(key, None)

    def forget_where(self, matches: Callable[[V], bool]) -> None:
        """Drop every entry whose value matches now."""
        self._generation += 1
        for key in [k for k, (_, v) in self._entries.items() if matches(v)]:
            del self._entries[key]
