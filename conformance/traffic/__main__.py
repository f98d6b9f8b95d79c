"""``python -m conformance.traffic FILE.har [--json]``: exit 1 iff any recorded exchange breaks the contract."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from conformance.traffic.har import read_har
from conformance.traffic.report import judge_entries


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.traffic",
                                     description="Validate recorded HAR traffic against both APIs' specs: which "
                                                 "side, request (frontend) or response (backend), broke the contract.")
    parser.add_argument("har", type=Path, help="a HAR 1.2 file, e.g. exported from a browser's network panel")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--exclusive-tenants", action="store_true",
                        help="the recording holds every call made with its credentials: reads must show what it "
                             "wrote (each credential set its own tenant)")
    args = parser.parse_args(argv)
    report = judge_entries(read_har(args.har), exclusive_tenants=args.exclusive_tenants)
    if args.json:
        json.dump(report.as_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(report.as_text())
    return 1 if report.violation_count else 0


if __name__ == "__main__":
    raise SystemExit(main())
