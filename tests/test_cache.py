"""The in-process TTL cache: expiry, size bound, shared loads and forgetting during a load."""

from __future__ import annotations

import asyncio
import time

from app.core.cache import TTLCache


def test_entries_expire_and_the_oldest_go_beyond_the_size() -> None:
    cache: TTLCache[str, int] = TTLCache(seconds=0.05, size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, 2, 3)
    time.sleep(0.06)
    assert cache.get("b") is None


async def test_concurrent_loads_of_one_key_share_one_load() -> None:
    cache: TTLCache[str, str] = TTLCache(seconds=10)
    calls = 0

    async def load() -> str:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        return "user"

    results = await asyncio.gather(*(cache.get_or_load("jti", load) for _ in range(20)))
    assert results == ["user"] * 20
    assert calls == 1
    assert await cache.get_or_load("jti", load) == "user" and calls == 1  # cached


async def test_a_forget_during_a_load_keeps_the_result_out() -> None:
    cache: TTLCache[str, str] = TTLCache(seconds=10)

    async def load() -> str:
        cache.forget("jti")  # e.g. a sign-out committed while the lookup ran
        return "user"

    assert await cache.get_or_load("jti", load) == "user"
    assert cache.get("jti") is None


async def test_a_failed_load_reaches_every_waiter_and_is_not_kept() -> None:
    cache: TTLCache[str, str] = TTLCache(seconds=10)

    async def load() -> str:
        await asyncio.sleep(0.01)
        raise RuntimeError("database down")

    results = await asyncio.gather(
        *(cache.get_or_load("jti", load) for _ in range(3)), return_exceptions=True
    )
    assert all(isinstance(r, RuntimeError) for r in results)
    assert cache.get("jti") is None


async def test_a_disabled_cache_loads_every_time() -> None:
    cache: TTLCache[str, str] = TTLCache(seconds=0)
    calls = 0

    async def load() -> str:
        nonlocal calls
        calls += 1
        return "user"

    await cache.get_or_load("jti", load)
    await cache.get_or_load("jti", load)
    assert calls == 2


async def test_a_caller_that_goes_away_does_not_cancel_the_shared_load() -> None:
    cache: TTLCache[str, str] = TTLCache(seconds=10)

    async def load() -> str:
        await asyncio.sleep(0.02)
        return "user"

    first = asyncio.create_task(cache.get_or_load("jti", load))
    second = asyncio.create_task(cache.get_or_load("jti", load))
    await asyncio.sleep(0.005)
    first.cancel()
    assert await second == "user"
    assert cache.get("jti") == "user"
