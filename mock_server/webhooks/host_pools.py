"""A connection pool per webhook target host, each with its own concurrency limit, under one limit for them all.

Why per host: a receiver that hangs holds only its own host's slots (at most ``per_host`` requests, each ended by
the timeout), so every other target keeps being served. A request waits for its host's slot first and only then for
one of the ``total`` slots, so nothing queued behind a stalled host occupies a slot another host could use. The
timeout runs from the moment a request holds both slots: time spent queueing is not the receiver's fault.

Why aiohttp rather than httpx: on this workload (hundreds of small POSTs in flight on keep-alive connections) an
httpx ``AsyncClient`` costs 2-3 ms of CPU per POST (httpcore's pool rescans every connection against every waiting
request, and anyio wraps each socket call), which held a fan-out to a thousand subscribers under 1 000 deliveries/s;
aiohttp, whose HTTP parser is compiled, costs 0.3 ms on the same machine (bench/RESULTS.md, webhook fan-out).

Memory is bounded: ``per_host`` connections a host, ``total`` in flight, and pools no request is using are closed,
least recently used first, once more than ``max_idle_hosts`` are kept. A response body is read up to ``BODY_LIMIT``
bytes (nothing needs it but the connection's reuse); a longer one closes its connection instead.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

import aiohttp

from mock_server.webhooks.policy import ResolvedTarget

MAX_IDLE_HOSTS = 256
BODY_LIMIT = 64 * 1024

HostKey = tuple[str, str, str, int]  # (scheme, host name, checked address, port)


@dataclass(frozen=True, slots=True)
class Answer:
    """How one POST went: the receiver's status, or why there was none; seconds from holding a slot to the end."""

    status: int | None
    error: str | None
    seconds: float


@dataclass(eq=False)
class _HostPool:
    session: aiohttp.ClientSession
    slots: asyncio.Semaphore
    users: int = field(default=0)


class HostPools:
    """POSTs to checked targets, each host through its own keep-alive pool. Create and use on one event loop."""

    def __init__(self, *, per_host: int, total: int, timeout: float, user_agent: str,
                 tls: ssl.SSLContext | None = None, max_idle_hosts: int = MAX_IDLE_HOSTS) -> None:
        if per_host < 1 or total < 1 or timeout <= 0 or max_idle_hosts < 0:
            raise ValueError("need per_host >= 1, total >= 1, timeout > 0 and max_idle_hosts >= 0")
        self.per_host, self.max_idle_hosts = min(per_host, total), max_idle_hosts
        self._total = asyncio.Semaphore(total)
        self._timeout = aiohttp.ClientTimeout(total=timeout)  # the session's: one object, not one a request
        self._headers = {"User-Agent": user_agent}
        self._tls = tls if tls is not None else ssl.create_default_context()  # one CA bundle load for every host
        self._pools: OrderedDict[HostKey, _HostPool] = OrderedDict()

    def __len__(self) -> int:
        return len(self._pools)

    async def post(self, target: ResolvedTarget, body: bytes, headers: Mapping[str, str]) -> Answer:
        """POST ``body`` to the checked address of ``target``; redirects are not followed, no exception for a
        transport failure or a timeout (the answer's ``error`` says which)."""
        key = (target.scheme, target.hostname, target.address, target.port)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = _HostPool(self._session(), asyncio.Semaphore(self.per_host))
        pool.users += 1
        try:
            async with pool.slots, self._total:
                started = time.monotonic()
                extra = {"server_hostname": target.hostname} if target.scheme == "https" else {}
                try:
                    async with pool.session.post(target.connect_url, data=body, headers=headers,
                                                 allow_redirects=False, **extra) as response:
                        await response.content.read(BODY_LIMIT)
                        return Answer(response.status, None, time.monotonic() - started)
                except (aiohttp.ClientError, TimeoutError, OSError) as failure:
                    error = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
                    return Answer(None, error, time.monotonic() - started)
        finally:
            pool.users -= 1
            self._pools.move_to_end(key)
            await self._close_idle()

    async def close(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.session.close()

    def _session(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=self.per_host, ssl=self._tls)
        return aiohttp.ClientSession(connector=connector, headers=self._headers, timeout=self._timeout,
                                     trust_env=False, auto_decompress=False)

    async def _close_idle(self) -> None:
        if len(self._pools) <= self.max_idle_hosts:
            return
        idle = [key for key, pool in self._pools.items() if pool.users == 0]
        for key in idle[:len(self._pools) - self.max_idle_hosts]:
            await self._pools.pop(key).session.close()
