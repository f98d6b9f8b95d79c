"""The command-line options the mock and the proxy share: which ``Host`` names, browser origins and how many
connections their front door serves (:mod:`mock_server.allowed_hosts`, :mod:`mock_server.cors`,
:mod:`mock_server.connections`)."""

from __future__ import annotations

import argparse

from mock_server.connections import ConnectionLimits, descriptor_cap


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def add_front_door_options(parser: argparse.ArgumentParser) -> None:
    """The options the mock and the proxy share: which Host names, browser origins and connections they serve."""
    parser.add_argument("--allowed-host", action="append", dest="allowed_hosts", default=[], metavar="NAME",
                        help="also answer requests naming this Host, repeatable: a name, .domain for it and its "
                             "subdomains, * for any (default: localhost, *.localhost, IP addresses and --host; "
                             "others are refused 421, against DNS rebinding)")
    parser.add_argument("--cors-origin", action="append", dest="cors_origins", default=None, metavar="ORIGIN",
                        help="also let pages on this origin read the APIs, repeatable; * for any (default: "
                             "http(s)://localhost, 127.0.0.1 and [::1] on any port; the control API never)")
    parser.add_argument("--max-connections", type=positive_int, default=None, metavar="N",
                        help="requests on connections beyond N open ones are answered 503 (default: what the "
                             "descriptor limit allows)")


def connection_limits(args: argparse.Namespace) -> ConnectionLimits:
    return ConnectionLimits(max_connections=args.max_connections or descriptor_cap())
