"""Which webhook targets the mock will POST to: safe by default, widened or narrowed with ``--webhook-allow``.

A subscription's ``target`` is any URL a caller typed, and the mock then sends requests from wherever it runs. Left
unchecked, that lets a caller aim it at the cloud metadata service (and read back nothing, but still trigger
requests from inside a VPC). So by default the policy refuses link-local addresses (169.254.0.0/16, fe80::/10),
which hold the AWS/GCP/Azure metadata endpoint 169.254.169.254, AWS's IPv6 fd00:ec2::254, and the host name
``metadata.google.internal``; and unspecified/multicast addresses. It allows loopback and private ranges, because
developers run their receivers locally or on their LAN.

Host names are resolved before connecting and *every* resolved address must pass, and the worker then connects to
the checked address itself (the URL's host kept in ``Host`` and TLS SNI), so a name that resolves to a harmless
address at check time and to the metadata service at connect time (DNS rebinding) gets nowhere.

Rule syntax (``--webhook-allow``, comma-separated and/or repeated; first match wins, before the defaults):

- ``10.1.0.0/16``, ``fd12::/64``, ``192.168.1.5`` - allow addresses in this network (may widen a default refusal,
  e.g. ``169.254.0.0/16`` for a test rig);
- ``hooks.internal``, ``.example.com`` - allow this host name, or any name ending so;
- ``!`` before any of these denies instead (``!10.0.0.0/8``);
- ``*`` matches every target, so ``127.0.0.0/8,::1,!*`` allows loopback only.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

LITERAL_CACHE_SIZE = 4096
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_HOSTS = ("metadata.google.internal", "metadata")
DEFAULT_DENIED_NETWORKS = ("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128", "0.0.0.0/8", "::/128",
                           "224.0.0.0/4", "ff00::/8", "255.255.255.255/32")


class TargetRefused(Exception):
    """The policy forbids this target; the delivery is logged as refused and never attempted."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One allow or deny entry: a network, a host name (``.suffix`` for a domain), or ``*``."""

    allow: bool
    network: IPNetwork | None = None
    host: str | None = None  # lower case; leading "." matches subdomains; "*" matches everything

    def matches_host(self, host: str) -> bool:
        if self.host is None:
            return False
        return self.host == "*" or host == self.host or (self.host.startswith(".") and host.endswith(self.host))

    def matches_address(self, address: IPAddress) -> bool:
        if self.host == "*":
            return True
        return self.network is not None and address.version == self.network.version and address in self.network

    @classmethod
    def parse(cls, text: str) -> Rule:
        """``[!]CIDR``, ``[!]IP``, ``[!]host``, ``[!].domain`` or ``[!]*``; ``ValueError`` when empty."""
        entry = text.strip()
        allow = not entry.startswith("!")
        entry = entry.lstrip("!").strip()
        if not entry:
            raise ValueError(f"empty webhook target rule {text!r}")
        try:
            return cls(allow, network=ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            return cls(allow, host=entry.lower().rstrip("."))


@dataclass(frozen=True, slots=True)
class ResolvedTarget:
    """A checked target: where to connect (the checked address) and what to say in ``Host`` / SNI."""

    url: str  # the subscription's target, unchanged
    connect_url: str  # the same URL with the host replaced by the checked address
    host_header: str
    hostname: str
    address: str
    scheme: str  # http or https
    port: int


class TargetPolicy:
    """Decides whether a webhook target may be called, and pins it to a checked address."""

    def __init__(self, rules: list[Rule] | None = None) -> None:
        self.rules = list(rules or [])
        self._defaults = [Rule(False, host=h) for h in METADATA_HOSTS] + \
            [Rule(False, network=ipaddress.ip_network(n)) for n in DEFAULT_DENIED_NETWORKS]
        # Hosts that are addresses: no DNS is involved, so the verdict cannot change and is worked out once per
        # (scheme, host, port) (parsing and a dozen network tests were a fifth of a delivery's CPU), not per URL: a
        # thousand subscribers on one receiver have a thousand URLs. Names are resolved every time.
        self._literals: dict[tuple[str, str], IPAddress] = {}
        self._pinned: dict[str, ResolvedTarget] = {}  # and the whole answer for URLs seen before, on such hosts

    @classmethod
    def from_args(cls, values: list[str] | None) -> TargetPolicy:
        """Build from ``--webhook-allow`` values, each a comma-separated list of rules."""
        return cls([Rule.parse(part) for value in values or [] for part in value.split(",") if part.strip()])

    def host_allowed(self, hostname: str) -> bool | None:
        """The verdict on a host name alone: True/False if a name rule decides it, None if addresses must."""
        name = hostname.lower().rstrip(".")
        for rule in [*self.rules, *self._defaults]:
            if rule.host is not None and rule.host != "*" and rule.matches_host(name):
                return rule.allow
        return None

    def address_allowed(self, address: IPAddress) -> bool:
        """The verdict on one address: the first matching explicit rule, then the defaults, else allowed."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # ::ffff:169.254.169.254 is the metadata service too
        for rule in [*self.rules, *self._defaults]:
            if rule.matches_address(address):
                return rule.allow
        return True

    async def resolve(self, url: str) -> ResolvedTarget:
        """Check ``url`` and pick the address to connect to; ``TargetRefused`` saying why if it may not be called.

        Resolution failures raise ``OSError`` (a transport error, worth retrying), not ``TargetRefused``.
        """
        pinned = self._pinned.get(url)
        if pinned is not None:
            return pinned
        parts = urlsplit(url)
        hostname = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not hostname:
            raise TargetRefused(f"not an absolute http(s) URL: {url}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = self._literals.get((parts.scheme, parts.netloc))
        literal = address is not None
        if address is None:
            address = await self._check(hostname, port)
            literal = hostname == str(address)  # an address typed in the URL, not a name
            if literal:
                _remember(self._literals, (parts.scheme, parts.netloc), address)
        netloc = f"[{address}]" if address.version == 6 else str(address)
        connect_url = parts._replace(netloc=f"{netloc}:{port}").geturl()
        host_header = parts.netloc.rsplit("@", 1)[-1]
        resolved = ResolvedTarget(url, connect_url, host_header, hostname, str(address), parts.scheme, port)
        if literal:
            _remember(self._pinned, url, resolved)
        return resolved

    async def _check(self, hostname: str, port: int) -> IPAddress:
        """The address to connect to for ``hostname``, every one it resolves to checked; ``TargetRefused`` if not."""
        verdict = self.host_allowed(hostname)
        if verdict is False:
            raise TargetRefused(f"host {hostname} is refused by the webhook target policy")
        try:
            addresses = [ipaddress.ip_address(hostname)]
        except ValueError:
            infos = await asyncio.get_running_loop().getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
            addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
        if verdict is None:
            refused = [str(a) for a in addresses if not self.address_allowed(a)]
            if refused:
                raise TargetRefused(f"host {hostname} resolves to {', '.join(refused)}, refused by the webhook "
                                    "target policy")
        return addresses[0]


def _remember(cache: dict, key: object, value: object) -> None:
    if len(cache) >= LITERAL_CACHE_SIZE:
        del cache[next(iter(cache))]  # the oldest: a bound, not a recency order
    cache[key] = value
