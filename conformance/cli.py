"""``flight-conformance`` (also ``python -m conformance``): the suite as a command to script CI against.

Short option names (``--api``, ``--read-only``, ``--webhook-host``...), translated to the pytest plugin's namespaced
ones (:mod:`conformance.options`); anything else, or everything after ``--``, goes to pytest unchanged (``-k EXPR``,
``-x``, ``--junitxml FILE``, ``--hypothesis-seed N``). The exit code says what happened (:class:`Exit`).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import random
import sys
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conformance.options import COMMAND, GROUPS, OPTIONS, options_in, pytest_args

SUITE = Path(__file__).parent / "suite"
DEFAULT_PROFILE = "ci"  # conformance.profiles.CI; not imported, so pytest can still rewrite hypothesis
DISTRIBUTION = "flight-api-contract"


class Exit(IntEnum):
    PASSED = 0  # every selected check ran and passed (some may be skipped, saying why)
    FAILED = 1  # a check failed, or could not talk to the backend
    USAGE = 2  # an unknown option or a bad value
    CONFIG = 3  # the --conformance-config file is missing, unreadable or not the expected YAML
    NOTHING_RAN = 4  # no check was selected (-k, --api, --read-only matched none)
    ABORTED = 5  # interrupted, or an internal error


EPILOG = f"""\
Any other option, and everything after --, goes to pytest: -k EXPR, -x, -rs, --junitxml FILE, --hypothesis-seed N.
Without --base-url the suite starts the bundled mock for the run.

exit codes:
  {Exit.PASSED:d}  every selected check passed (a check whose config key is missing is skipped: -rs lists them)
  {Exit.FAILED:d}  a check failed, or could not reach the backend
  {Exit.USAGE:d}  usage error: unknown option or bad value
  {Exit.CONFIG:d}  the --conformance-config file is missing, unreadable or not the expected YAML
  {Exit.NOTHING_RAN:d}  no check matched the selection (-k, --api, --read-only)
  {Exit.ABORTED:d}  interrupted, or an internal error

examples:
  {COMMAND} --base-url https://staging.example.com --conformance-config creds.yaml --junitxml report.xml
  {COMMAND} --base-url https://api.example.com --conformance-config creds.yaml --read-only
  {COMMAND} --api flightsayer -k search
"""

_FROM_PYTEST = {pytest.ExitCode.OK: Exit.PASSED, pytest.ExitCode.TESTS_FAILED: Exit.FAILED,
                pytest.ExitCode.USAGE_ERROR: Exit.USAGE, pytest.ExitCode.NO_TESTS_COLLECTED: Exit.NOTHING_RAN,
                pytest.ExitCode.INTERRUPTED: Exit.ABORTED, pytest.ExitCode.INTERNAL_ERROR: Exit.ABORTED}


def _version() -> str:
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=COMMAND, allow_abbrev=False, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        usage=f"{COMMAND} [--base-url URL] [--conformance-config FILE] [options] [pytest options] [-- pytest args]",
        description="Check a backend of the Garuda flight-session and Flightsayer flight-status APIs against the "
                    "specs and the seeds' rules.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    for group_name, title in GROUPS.items():
        group = parser.add_argument_group(title)
        for option in options_in(group_name):
            group.add_argument(option.flag, dest=option.key, **option.argparse_kwargs(with_default=False))
    return parser


def _plugin_installed() -> bool:
    return any(entry.value == "conformance.plugin" for entry in importlib.metadata.entry_points(group="pytest11"))


def _given(args: Sequence[str], option: str) -> bool:
    return any(arg == option or arg.startswith(option + "=") for arg in args)


def _config_error(path: Path) -> str | None:
    from conformance.config import ConformanceConfig  # imports yaml: only when a config is given

    try:
        ConformanceConfig.from_file(path)
    except (OSError, ValueError) as error:
        return str(error)
    except Exception as error:  # yaml's errors, whatever their class
        return f"not valid YAML: {error}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    verbatim = argv[argv.index("--") + 1:] if "--" in argv else []
    ours = argv[:argv.index("--")] if "--" in argv else argv
    parser = build_parser()
    parsed, passed_on = parser.parse_known_args(ours)
    given = {option.name: getattr(parsed, option.key) for option in OPTIONS}
    given.update({option.name: option.command_default for option in OPTIONS
                  if given[option.name] is None and option.command_default is not None})

    base_url = given["base-url"]
    if base_url is not None and (urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc):
        parser.error(f"--base-url {base_url!r}: not an absolute http(s) URL")  # exits with Exit.USAGE
    config = given["conformance-config"]
    if config is not None:
        given["conformance-config"] = config = config.resolve()
        problem = _config_error(config)
        if problem is not None:
            print(f"{COMMAND}: error: --conformance-config {config}: {problem}", file=sys.stderr)
            return Exit.CONFIG

    rest = [*passed_on, *verbatim]
    if given["hypothesis-profile"] is None and not _given(rest, "--hypothesis-profile"):
        given["hypothesis-profile"] = DEFAULT_PROFILE
    seed = [] if _given(rest, "--hypothesis-seed") else [f"--hypothesis-seed={random.randrange(2**32)}"]
    # One seed for the whole run, printed in the header, so any failure replays with --hypothesis-seed=N.
    plugin = [] if _plugin_installed() else ["-p", "conformance.plugin"]
    args = [*plugin, "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning", "-o", "addopts=",
            "-o", f"testpaths={SUITE}", "--rootdir", str(SUITE), *pytest_args(given), *seed, *rest, str(SUITE)]
    return _FROM_PYTEST.get(pytest.main(args), Exit.ABORTED)  # type: ignore[call-overload]
