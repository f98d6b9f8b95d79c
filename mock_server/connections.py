"""How long a connection may sit idle or trickle its request head, and how many may be open at once.

uvicorn closes a keep-alive connection 5 s after its last answer, but never one that has sent no request, nor one
whose request head arrives a byte at a time: a thousand such sockets hold a thousand file descriptors for ever
(macOS gives a process 256 by default, many Linux shells 1024). The mock and the proxy therefore serve through
:class:`mock_server.http_protocol.ApiErrorHttpProtocol` with these bounds: a connection without a request in progress
is closed after ``idle_seconds`` (uvicorn's keep-alive timeout, now applied from the connection's first moment too),
a request head not complete ``head_seconds`` after it began is answered 408, and a connection opened while
``max_connections`` are already open has its requests answered 503 and is closed, so descriptors run out for
neither the server nor its own files. The cap defaults to what the descriptor limit leaves: the soft limit (raised
towards the hard limit first, as Go's runtime does) minus a reserve for the state file, webhook deliveries and the
proxy's upstream pool.
"""

from __future__ import annotations

from dataclasses import dataclass

IDLE_SECONDS = 5.0
HEAD_SECONDS = 10.0
RESERVED_DESCRIPTORS = 128  # the server's own files and outgoing connections (httpx pools up to 100)
WANTED_DESCRIPTORS = 8192  # how far the soft limit is raised when the hard limit allows it
FALLBACK_CAP = 1000  # where the descriptor limit cannot be read


@dataclass(frozen=True)
class ConnectionLimits:
    idle_seconds: float = IDLE_SECONDS
    head_seconds: float = HEAD_SECONDS
    max_connections: int | None = None  # None: no cap


def descriptor_cap() -> int:
    """The connection cap the descriptor limit allows, after raising the soft limit as far as it may go."""
    try:
        import resource
    except ImportError:  # not a POSIX system
        return FALLBACK_CAP
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = WANTED_DESCRIPTORS if hard == resource.RLIM_INFINITY else min(hard, WANTED_DESCRIPTORS)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):  # macOS refuses more than kern.maxfilesperproc
            pass
    if soft == resource.RLIM_INFINITY:
        soft = WANTED_DESCRIPTORS
    return max(16, soft - RESERVED_DESCRIPTORS)

