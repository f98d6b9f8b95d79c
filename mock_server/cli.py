"""`mock-server`: serve both APIs on one port from the bundled (or given) fixtures."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import uvicorn
import yaml

from mock_server.allowed_hosts import AllowedHosts
from mock_server.app import MockApp, create_app
from mock_server.console import console_url
from mock_server.control.access import ControlAccess
from mock_server.control.journal import DEFAULT_SIZE
from mock_server.docs import docs_url
from mock_server.front_door_options import add_front_door_options, connection_limits, positive_int
from mock_server.http_protocol import server_config
from mock_server.limits import DEFAULT_MAX_BODY_BYTES
from mock_server.state import MockState
from mock_server.state_file import (
    StateFile,
    StateFileCorrupt,
    StateFileError,
    StateFileFormatError,
    StateFileInUse,
    StateFileMismatch,
    StateFileUnavailable,
    keep_state_in,
)

CONTROL_TOKEN_VARIABLE = "MOCK_CONTROL_TOKEN"
# Why the mock refused a --state-file, one code each, so a supervisor can tell "wait and retry" from "needs a human".
STATE_FILE_EXIT_CODES: dict[type[StateFileError], int] = {
    StateFileInUse: 3,
    StateFileFormatError: 4,
    StateFileCorrupt: 5,
    StateFileMismatch: 6,
    StateFileUnavailable: 7,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-server",
        description="Stateful mock of the Garuda and Flightsayer APIs, both on one port at their real paths.",
        epilog="mock-server proxy --upstream URL [--strict]: a validating proxy in front of a real backend "
               "(mock-server proxy --help). Exit codes when --state-file cannot be used (the file is left as it "
               "was): 3 in use by another running mock, 4 another format (an older mock's JSON file), 5 damaged or "
               "truncated, 6 does not fit these fixtures, 7 cannot be opened or created.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind (default: %(default)s)")
    parser.add_argument("--fixtures", type=Path, default=None, help="fixtures folder (default: the bundled one)")
    parser.add_argument("--flights", type=int, default=None, help="generate this many flights instead of the "
                        "fixtures' schedule count")
    parser.add_argument("--seed", type=int, default=None, help="flight generator seed (same seed, same flights)")
    add_front_door_options(parser)
    parser.add_argument("--journal-size", type=positive_int, default=DEFAULT_SIZE,
                        help="requests kept by GET /_mock/requests (default: %(default)s)")
    parser.add_argument("--clock-speed", type=float, default=0.0,
                        help="simulated seconds per real second: 0 manual (default; POST /_mock/clock moves it), "
                             "1 real time, 60 one simulated hour per minute")
    parser.add_argument("--webhook-grace-seconds", type=float, default=60.0,
                        help="how long after a flight's final notification its subscriptions are deleted "
                             "(default: %(default)s)")
    parser.add_argument("--webhook-allow", action="append", default=None, metavar="RULES",
                        help="which push-notification targets may be called, first match wins, comma-separated, "
                             "repeatable: a CIDR or IP, a host, .domain; ! denies, * matches all (default: "
                             "everything but link-local and cloud-metadata addresses)")
    parser.add_argument("--max-body-bytes", type=positive_int, default=DEFAULT_MAX_BODY_BYTES,
                        help="larger request bodies are refused with 413 before they are read (default: %(default)s)")
    control = parser.add_mutually_exclusive_group()
    control.add_argument("--no-control", action="store_true",
                         help="switch the control API (/_mock) off: every path under it answers 404")
    control.add_argument("--control-token", default=os.environ.get(CONTROL_TOKEN_VARIABLE), metavar="TOKEN",
                         help="require 'Authorization: Bearer TOKEN' on the control API (default: the "
                              f"{CONTROL_TOKEN_VARIABLE} environment variable; none: open to anyone who can connect)")
    parser.add_argument("--state-file", type=Path, default=None, metavar="PATH",
                        help="keep the data in the SQLite database PATH: restored at start if it exists, every "
                             "change committed there before it is answered (survives kill -9)")
    parser.add_argument("--print-config", action="store_true",
                        help="print the conformance suite's config YAML for these fixtures and exit")
    parser.add_argument("--no-fast-path", action="store_true",
                        help="send every request through the full connexion stack (same answers, ~5x slower reads)")
    parser.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    return parser


def banner(state: MockState, base_url: str, seconds: float, access: ControlAccess | None = None) -> str:
    config = state.conformance_config()
    garuda, other = config["garuda"], config["garuda"]["other_company"]
    users = state.flightsayer_users
    lines = [
        f"Mock serving both APIs at {base_url} (fixtures loaded in {seconds:.2f} s, {len(state.catalog)} flights)",
        "",
        f"Garuda       {base_url}/v2/flight_sessions      docs: {base_url}{docs_url('garuda')}",
        f"  -H 'Authorization: Bearer {garuda['token']}' -H 'X-API-Key: {garuda['api_key']}'",
        f"  other company: -H 'Authorization: Bearer {other['token']}' -H 'X-API-Key: {other['api_key']}'",
        f"Flightsayer  {base_url}/flights/v1/search       docs: {base_url}{docs_url('flightsayer')}",
        *(f"  {name}: -H 'Authorization: Token {token}'" for name, token in users.items()),
        "",
        f"Conformance config: mock-server --print-config   Control API: {control_line(base_url, access)}",
    ]
    return "\n".join(lines)


def control_line(base_url: str, access: ControlAccess | None) -> str:
    if access is not None and not access.enabled:
        return "off (--no-control)"
    protected = " (needs the control token)" if access is not None and access.token else ""
    return f"{base_url}/_mock/health{protected}   Console: {base_url}{console_url()}"


def _build(args: argparse.Namespace) -> tuple[MockApp, StateFile | None] | int:
    """The app on its loaded state, its banner printed; or the exit code when there is nothing to serve."""
    started = time.perf_counter()
    state = MockState.load(args.fixtures, flights=args.flights, seed=args.seed)
    if args.print_config:
        sys.stdout.write(yaml.safe_dump(state.conformance_config(), sort_keys=False))
        return 0
    state_file = None
    if args.state_file is not None:
        try:
            state_file = keep_state_in(args.state_file, state)
        except StateFileError as exc:
            print(f"mock-server: {exc}", file=sys.stderr)
            return STATE_FILE_EXIT_CODES[type(exc)]
    app = create_app(state=state, cors_origins=args.cors_origins, journal_size=args.journal_size,
                     clock_speed=args.clock_speed, webhook_allow=args.webhook_allow,
                     webhook_grace_seconds=args.webhook_grace_seconds, fast_path=not args.no_fast_path,
                     allowed_hosts=AllowedHosts.default(args.host, args.allowed_hosts))
    try:
        app.control.access = ControlAccess(enabled=not args.no_control, token=args.control_token)
    except ValueError as exc:
        if state_file is not None:
            state_file.close()
        print(f"mock-server: {exc}", file=sys.stderr)
        return 2
    app.control.max_body_bytes = args.max_body_bytes
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(banner(state, f"http://{host}:{args.port}", time.perf_counter() - started, app.control.access), flush=True)
    return app, state_file


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["proxy"]:
        from mock_server.proxy.cli import main as proxy_main  # only the proxy needs openapi-core loaded

        return proxy_main(argv[1:])
    args = build_parser().parse_args(argv)
    # Loading builds millions of objects that all live as long as the process; collecting while they pile up
    # would walk them over and over (~0.5 s of a 100k-flight start). One collection once they are built.
    gc.disable()
    try:
        built = _build(args)
        if isinstance(built, int):
            return built
        # Moved out of the collector's sight, the start-up objects (specs, validators, 100k flights) are no longer
        # walked by every full collection, which stalled the requests in flight.
        gc.collect()
        gc.freeze()
    finally:
        gc.enable()
    app, state_file = built
    # The protocol answers requests that break HTTP itself in the API's error format, not uvicorn's plain text, and
    # sheds idle and slow connections (mock_server.connections).
    config = server_config(app, args.host, args.port, args.log_level, connection_limits(args))
    server = uvicorn.Server(config) if state_file is None else ClosingServer(config, state_file)
    server.run()
    return 0


class ClosingServer(uvicorn.Server):
    """A uvicorn server that closes the state file once it has shut down.

    Every change is committed as it is made, so closing saves nothing: it folds SQLite's ``-wal`` file back into the
    state file, leaving one file to copy. uvicorn stops on SIGTERM or SIGINT by letting in-flight requests and the
    app's lifespan (the delivery worker that retires subscriptions) finish; then it re-raises the signal, so the
    process never returns from ``run()``: the end of ``shutdown`` is the moment after the last write.
    """

    def __init__(self, config: uvicorn.Config, state_file: StateFile) -> None:
        super().__init__(config)
        self.state_file = state_file

    async def shutdown(self, sockets=None) -> None:
        try:
            await super().shutdown(sockets)
        finally:
            self.state_file.close()


if __name__ == "__main__":
    raise SystemExit(main())
