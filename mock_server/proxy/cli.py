"""``mock-server proxy``: serve the validating proxy in front of an upstream backend."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

import uvicorn

from conformance.live import MemoryLimits, TrafficMonitor
from mock_server.allowed_hosts import AllowedHosts
from mock_server.cors import CorsPolicy
from mock_server.front_door_options import add_front_door_options, connection_limits
from mock_server.http_protocol import server_config
from mock_server.proxy.app import VIOLATIONS_PATH, ProxyApp
from mock_server.proxy.forwarding import DEFAULT_TIMEOUTS, Timeouts
from mock_server.proxy.journal import DEFAULT_SIZE


def _upstream_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"not an absolute http(s) URL: {value!r}")
    return value.rstrip("/")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-server proxy",
        description="Forward both APIs to a real backend and report, per request, whether the request (frontend) "
                    "or the response (backend) breaks the contract.",
    )
    parser.add_argument("--upstream", required=True, type=_upstream_url,
                        help="base URL of the backend, e.g. https://staging.example.com")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind (default: %(default)s)")
    parser.add_argument("--strict", action="store_true",
                        help="answer a request that breaks the contract with 400 instead of forwarding it")
    parser.add_argument("--connect-timeout", type=float, default=DEFAULT_TIMEOUTS.connect,
                        help="seconds to reach the upstream before answering 502 (default: %(default)s)")
    parser.add_argument("--read-timeout", type=float, default=DEFAULT_TIMEOUTS.read,
                        help="seconds to wait for the upstream's answer before answering 502 (default: %(default)s)")
    parser.add_argument("--exclusive-tenants", action="store_true",
                        help="promise that no client bypassing the proxy writes with the credentials it sees, so "
                             "reads must show what the proxied calls wrote (each credential set its own tenant)")
    parser.add_argument("--memory-records", type=int, default=MemoryLimits.per_caller,
                        help="sessions or subscriptions the live checks remember per set of credentials, the least "
                             "recently used forgotten first (default: %(default)s)")
    parser.add_argument("--no-live-checks", action="store_true",
                        help="judge each answer alone (spec and per-answer rules), not beside its request and the "
                             "caller's earlier calls")
    parser.add_argument("--journal-size", type=int, default=DEFAULT_SIZE,
                        help=f"violations kept by GET {VIOLATIONS_PATH} (default: %(default)s)")
    add_front_door_options(parser)
    parser.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (without the ``proxy`` word) and serve until interrupted."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = ProxyApp(args.upstream, strict=args.strict, journal_size=args.journal_size,
                   timeouts=Timeouts(connect=args.connect_timeout, read=args.read_timeout),
                   live_checks=not args.no_live_checks,
                   monitor=TrafficMonitor(exclusive_tenants=args.exclusive_tenants,
                                          limits=MemoryLimits(per_caller=max(1, args.memory_records))),
                   allowed_hosts=AllowedHosts.default(args.host, args.allowed_hosts),
                   cors=CorsPolicy(args.cors_origins or ()))
    host = f"[{args.host}]" if ":" in args.host else args.host
    base = f"http://{host}:{args.port}"
    print(f"Validating proxy at {base} -> {args.upstream}{' (strict)' if args.strict else ''}\n"
          f"  violations: response header X-Contract-Violations, GET {base}{VIOLATIONS_PATH}, and this log",
          flush=True)
    uvicorn.Server(server_config(app, args.host, args.port, args.log_level, connection_limits(args))).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
