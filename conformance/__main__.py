"""``python -m conformance [--base-url URL] [--conformance-config FILE] [--api NAME]... [--read-only]
[--hypothesis-profile ci|thorough] [pytest args]``: run the suite; the exit code is non-zero iff a check fails."""

from __future__ import annotations

import importlib.metadata
import random
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

SUITE = Path(__file__).parent / "suite"
DEFAULT_PROFILE = "ci"  # conformance.profiles.CI; not imported, so pytest can still rewrite hypothesis


def _plugin_installed() -> bool:
    return any(entry.value == "conformance.plugin" for entry in importlib.metadata.entry_points(group="pytest11"))


def _given(args: Sequence[str], option: str) -> bool:
    return any(arg == option or arg.startswith(option + "=") for arg in args)


def pytest_args(argv: Sequence[str]) -> list[str]:
    args = list(argv)
    if not _given(args, "--hypothesis-profile"):
        args.append(f"--hypothesis-profile={DEFAULT_PROFILE}")
    if not _given(args, "--hypothesis-seed"):
        # One seed for the whole run, printed in the header, so any failure replays with --hypothesis-seed=N.
        args.append(f"--hypothesis-seed={random.randrange(2**32)}")
    plugin = [] if _plugin_installed() else ["-p", "conformance.plugin"]
    return [*plugin, "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning", "-o", "addopts=",
            "-o", f"testpaths={SUITE}", "--rootdir", str(SUITE), *args, str(SUITE)]


def main(argv: Sequence[str] | None = None) -> int:
    return int(pytest.main(pytest_args(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    raise SystemExit(main())
