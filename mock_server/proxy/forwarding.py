"""Pass one request to the upstream and bring its answer back as it was sent: status, end-to-end headers, raw body.

Only hop-by-hop headers (RFC 9110 §7.6.1, and whatever ``Connection`` names) and ``Host`` are not forwarded;
credentials and every other header pass untouched. httpx's own default headers are removed so the upstream sees the
client's request, not httpx's. The body is read whole (no streaming) because it must be validated before it is
answered; it is forwarded still content-encoded, and decoded only for validation.

Timeouts are bounded on every phase and in total, so an unreachable or stalled upstream becomes a quick 502 and
never a hanging client.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import anyio
import httpx

HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
    "trailers", "transfer-encoding", "upgrade",
})
NOT_FORWARDED = HOP_BY_HOP | {"host", "content-length"}

RawHeaders = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed to connect and to wait for each read; their sum bounds the whole exchange."""

    connect: float = 3.0
    read: float = 30.0

    @property
    def total(self) -> float:
        return self.connect + self.read

    def for_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(self.read, connect=self.connect, pool=self.connect)


DEFAULT_TIMEOUTS = Timeouts()


class UpstreamUnavailable(Exception):
    """The upstream could not be reached or did not answer in time."""


@dataclass(frozen=True)
class UpstreamAnswer:
    status: int
    headers: RawHeaders  # end-to-end headers only, as the upstream sent them
    raw_body: bytes  # as sent, still content-encoded
    body: bytes  # decoded, for validation


def end_to_end(headers: RawHeaders, drop: frozenset[str] = HOP_BY_HOP) -> RawHeaders:
    """``headers`` without hop-by-hop ones, including those the ``Connection`` header names."""
    named = {token.strip().lower() for name, value in headers if name.lower() == b"connection"
             for token in value.decode("latin-1").split(",")}
    return [(name, value) for name, value in headers
            if (key := name.decode("latin-1").lower()) not in drop and key not in named]


class Upstream:
    """One pooled httpx client to the upstream, made on the event loop that uses it."""

    def __init__(self, base_url: str, timeouts: Timeouts = DEFAULT_TIMEOUTS,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeouts = timeouts
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _client_here(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            client = httpx.AsyncClient(timeout=self.timeouts.for_httpx(), transport=self._transport,
                                       follow_redirects=False, trust_env=False)
            for name in list(client.headers):  # httpx's defaults (User-Agent, Accept...) are not the client's
                del client.headers[name]
            self._client, self._loop = client, loop
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def forward(self, method: str, target: str, headers: RawHeaders, body: bytes) -> UpstreamAnswer:
        """Send ``method target`` (path and query as received) upstream; raise :class:`UpstreamUnavailable`."""
        client = self._client_here()
        request = client.build_request(method, self.base_url + target, headers=end_to_end(headers, NOT_FORWARDED),
                                       content=body or None)
        try:
            with anyio.fail_after(self.timeouts.total):
                response = await client.send(request, stream=True)
                try:
                    raw = b"".join([chunk async for chunk in response.aiter_raw()])
                finally:
                    await response.aclose()
        except (httpx.TransportError, TimeoutError) as exc:
            raise UpstreamUnavailable(f"{type(exc).__name__} from {self.base_url}") from exc
        decoded = httpx.Response(response.status_code, headers=response.headers, content=raw)
        try:
            body_for_validation = decoded.content
        except httpx.DecodingError:
            body_for_validation = raw
        return UpstreamAnswer(response.status_code, end_to_end(list(response.headers.raw)), raw, body_for_validation)
