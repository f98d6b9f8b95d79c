"""Which ``Host`` a request may name: the defence against DNS rebinding.

A page on ``http://attacker.example`` can have its name re-resolved to 127.0.0.1 and then read the mock as if it
were its own origin: CORS does not apply, since to the browser it is the same origin. What gives it away is the
``Host`` header, which still names the attacker's domain. So by default only names that cannot be rebound are served:
``localhost`` and ``*.localhost`` (RFC 6761 resolves them locally), any IP address literal (rebinding needs a name; a
request that names an address was sent to that address on purpose), and the name the server was bound to. Others
are added with ``--allowed-host`` (``.example.com`` for a domain and its subdomains, ``*`` for any), as
webpack-dev-server's and Vite's ``allowedHosts`` do.

Checked on every request, so the verdict per distinct ``Host`` value is remembered: after the first request a check
is one dictionary lookup.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import Scope

from mock_server.errors import ApiError

ANY = "*"
LOOPBACK_NAMES = (".localhost",)  # localhost itself and its subdomains
_REMEMBERED = 1024  # distinct Host values whose verdict is kept; beyond that each is judged afresh
_SHOWN = 100  # characters of a refused Host repeated in the answer


def host_name(value: bytes) -> str:
    """The name or address in a ``Host`` value, without its port, brackets and final dot, lower case."""
    text = value.decode("latin-1").strip().lower()
    if text.startswith("["):
        return text[1:].partition("]")[0]
    name, _, port = text.rpartition(":")
    return (name if name and port.isdigit() else text).rstrip(".")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class AllowedHosts:
    """The ``Host`` names a server answers; ``*`` among them answers any."""

    def __init__(self, names: Iterable[str]) -> None:
        patterns = [name.strip().lower().rstrip(".") for name in names if name.strip()]
        self.any = ANY in patterns
        self.exact = frozenset(p for p in patterns if not p.startswith("."))
        self.domains = tuple(p for p in patterns if p.startswith("."))
        self._verdicts: dict[bytes, bool] = {}

    @classmethod
    def default(cls, bound_host: str, extra: Iterable[str] = ()) -> AllowedHosts:
        """What the command line allows: loopback names, any address, the bound name, and ``extra``."""
        return cls([*LOOPBACK_NAMES, bound_host, *extra])

    def allows(self, host: bytes) -> bool:
        verdict = self._verdicts.get(host)
        if verdict is None:
            verdict = self._judge(host_name(host))
            if len(self._verdicts) < _REMEMBERED:
                self._verdicts[host] = verdict
        return verdict

    def _judge(self, name: str) -> bool:
        if self.any or name in self.exact or _is_address(name):
            return True
        return any(name == domain[1:] or name.endswith(domain) for domain in self.domains)

    def check(self, scope: Scope) -> None:
        """Raise the 421 a request naming a foreign ``Host`` gets; a request without ``Host`` (HTTP/1.0) passes,
        as no browser sends one."""
        if self.any:
            return
        for name, value in scope["headers"]:
            if name == b"host":
                if not self.allows(value):
                    raise host_refused(value)
                return


def host_refused(host: bytes) -> ApiError:
    """421 Misdirected Request (RFC 9110 15.5.20): this server will not answer for that name."""
    name = host_name(host)[:_SHOWN]
    return ApiError(421, f"Host {name!r} is not allowed (DNS rebinding protection); to serve it, start with "
                         f"--allowed-host {name} (or --allowed-host '*' for any)")
