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
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conformance.options import COMMAND, GROUPS, OPTIONS, options_in, pytest_args
from conformance.verdict.exit_codes import DECIDED, FROM_PYTEST, MEANING, Exit

__all__ = ["Exit", "build_parser", "main"]

SUITE = Path(__file__).parent / "suite"
DEFAULT_PROFILE = "ci"  # conformance.profiles.CI; not imported, so pytest can still rewrite hypothesis
DISTRIBUTION = "flight-api-contract"


EPILOG = f"""\
Any other option, and everything after --, goes to pytest: -k EXPR, -x, -rs, --junitxml FILE, --hypothesis-seed N.
Without --base-url the suite starts the bundled mock for the run.

exit codes:
{chr(10).join(f"  {code:d}  {MEANING[code]}" for code in Exit)}

examples:
  {COMMAND} --base-url https://staging.example.com --conformance-config creds.yaml --junitxml report.xml
  {COMMAND} --base-url https://api.example.com --conformance-config creds.yaml --read-only
  {COMMAND} --api flightsayer -k search
  {COMMAND} --base-url URL --conformance-config creds.yaml --report-json first.json      # adopt: record today's
  {COMMAND} --base-url URL --conformance-config creds.yaml --baseline first.json         # then fail only new ones
"""


class _Decided:
    """Reads back the exit code the suite decided (pytest's own statuses overlap the suite's)."""

    code: Exit | None = None

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self.code = config.stash.get(DECIDED, None)


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


def _preflight(base_url: str, config_path: Path | None, given: dict[str, Any]) -> Exit | None:
    from conformance.config import ConformanceConfig
    from conformance.verdict.preflight import closing_line, exit_code, run_preflight

    config = ConformanceConfig.from_file(config_path) if config_path is not None else ConformanceConfig({})
    problems = run_preflight(base_url, config, apis=given["api"], read_only=bool(given["read-only"]),
                             trigger_cmd=given["webhook-trigger-cmd"])
    for problem in problems:
        print(f"{COMMAND}: {problem.line}", file=sys.stderr)
    if not problems:
        return None
    print(f"{COMMAND}: {closing_line(problems)}", file=sys.stderr)
    return exit_code(problems)


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
    listing = _given(rest, "--collect-only") or _given(rest, "--co")
    if base_url is not None and not given["no-preflight"] and not listing:
        # Before pytest starts (its plugins take seconds to load): a run that cannot judge the backend stops at once.
        code = _preflight(base_url, config, given)
        if code is not None:
            return code
        given["no-preflight"] = True  # done: the plugin need not do it again

    if given["hypothesis-profile"] is None and not _given(rest, "--hypothesis-profile"):
        given["hypothesis-profile"] = DEFAULT_PROFILE
    seed = [] if _given(rest, "--hypothesis-seed") else [f"--hypothesis-seed={random.randrange(2**32)}"]
    # One seed for the whole run, printed in the header, so any failure replays with --hypothesis-seed=N.
    plugin = [] if _plugin_installed() else ["-p", "conformance.plugin"]
    args = [*plugin, "-p", "no:cacheprovider", "-W", "ignore::pytest.PytestAssertRewriteWarning", "-o", "addopts=",
            "-o", f"testpaths={SUITE}", "--rootdir", str(SUITE), *pytest_args(given), *seed, *rest, str(SUITE)]
    decided = _Decided()
    status = pytest.main(args, plugins=[decided])
    if decided.code is not None:
        return decided.code
    return FROM_PYTEST.get(status, Exit.ABORTED)  # type: ignore[call-overload]
