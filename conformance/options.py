"""The suite's options, declared once for its three front doors.

- The pytest plugin (``conformance.plugin``) is loaded by every pytest run of an environment the package is installed
  in, so its flags are namespaced (``--conformance-api``) where pytest shares one namespace among plugins, and
  ``--base-url`` is pytest-base-url's own (option, ``base_url`` fixture and ini value, ``PYTEST_BASE_URL``).
- The command (``flight-conformance``, ``python -m conformance``) is the suite's alone: short names (``--api``),
  translated to the plugin's.
- The tox plugin (``toxfile.py``: ``tox -e conformance --base-url URL``) takes the command's names and hands them to
  the command.

A new option is one more :class:`SuiteOption` in :data:`OPTIONS`; all three pick it up. Standard library only:
``toxfile.py`` loads this file by its path, in tox's own interpreter, where nothing else of the project is installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COMMAND = "flight-conformance"
API_CHOICES = ("garuda", "flightsayer")  # api_contract.API_NAMES (tests hold them equal)
PROFILE_CHOICES = ("ci", "thorough")  # conformance.profiles.PROFILES (tests hold them equal)
PYTEST_PREFIX = "conformance-"


@dataclass(frozen=True)
class SuiteOption:
    """One option: ``name`` is the command's and tox's spelling (``--{name}``); the plugin's is ``--{pytest_name}``."""

    name: str
    help: str  # "{default}" is replaced by the default
    group: str = "suite"  # "suite" or "webhooks", for --help
    action: str = "store"  # "store", "store_true" or "append"
    type: Callable[[str], Any] | None = None
    default: Any = None  # in the plugin; the command and tox pass only what was given (or command_default)
    command_default: Any = None  # what the command hands on when the option is not given, if not the plugin's
    choices: tuple[str, ...] | None = None
    metavar: str | None = None
    pytest_name: str | None = None  # default: "conformance-" + name
    owner: str | None = None  # the pytest plugin that defines the pytest flag, when it is not ours
    is_path: bool = False  # resolved against the caller's working directory before it is handed on

    @property
    def flag(self) -> str:
        return f"--{self.name}"

    @property
    def pytest_flag(self) -> str:
        return f"--{self.pytest_name or PYTEST_PREFIX + self.name}"

    @property
    def key(self) -> str:
        """The attribute the command's parser stores it under."""
        return self.name.replace("-", "_")

    @property
    def pytest_dest(self) -> str:
        """The attribute pytest stores it under (``config.getoption``)."""
        return self.pytest_flag[2:].replace("-", "_")

    def help_text(self) -> str:
        default = "none" if self.default is None else self.default
        return self.help.replace("{default}", str(default))

    def argparse_kwargs(self, *, with_default: bool) -> dict[str, Any]:
        """Keyword arguments of ``add_argument``/``addoption``. Without ``with_default`` an option not given stays
        None, so it is not handed on and the plugin's default applies."""
        kwargs: dict[str, Any] = {"action": self.action, "help": self.help_text()}
        kwargs["default"] = self.default if with_default else None
        if self.action != "store_true":
            kwargs.update({key: value for key, value in (("type", self.type), ("choices", self.choices),
                                                         ("metavar", self.metavar)) if value is not None})
        return kwargs

    def as_args(self, value: Any, flag: str) -> list[str]:
        """``value`` as command-line arguments under ``flag``; nothing for a value not given."""
        if value is None or value is False:
            return []
        if self.action == "store_true":
            return [flag]
        values = value if self.action == "append" else [value]
        # Two words read best (and tox masks "--api=..." in its log as if it were a key); "=" only where a value
        # could pass for an option.
        return [arg for item in map(str, values) for arg in ([f"{flag}={item}"] if item.startswith("-") else
                                                              [flag, item])]


def seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise ValueError("must not be negative")
    return value


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError("must be above 0")
    return value


JOBS = 8  # the command's default: enough to hide a remote backend's latency, few enough to be kind to it


OPTIONS: tuple[SuiteOption, ...] = (
    SuiteOption("base-url", "backend under test (default: start the bundled mock); pytest-base-url's option, so "
                "also the base_url ini value or PYTEST_BASE_URL", metavar="URL", pytest_name="base-url",
                owner="pytest-base-url"),
    SuiteOption("conformance-config", "YAML with credentials and ids, as `mock-server --print-config` prints it",
                type=Path, metavar="FILE", pytest_name="conformance-config", is_path=True),
    SuiteOption("api", "check only this API (repeatable; default: both)", action="append", choices=API_CHOICES),
    SuiteOption("read-only", "run only the checks that write nothing to the backend (the preflight too: "
                "it reads, creates no session)", action="store_true",
                default=False),
    SuiteOption("hypothesis-profile", "how hard Hypothesis tries: ci (the default, about 20 s against the bundled "
                "mock) or thorough (about 3 minutes)", choices=PROFILE_CHOICES, pytest_name="hypothesis-profile",
                owner="hypothesis"),
    SuiteOption("jobs", f"how many checks run at once, each process sending one request at a time; 1 runs them one "
                f"after another (default: {JOBS} from the command and tox, {{default}} as a pytest plugin)",
                type=positive_int, default=1, command_default=JOBS, metavar="N"),
    SuiteOption("report", "write the run report to this file: one self-contained HTML page (what was checked, what was "
                "not and why, failures, the answers each operation gave)", metavar="FILE.html", is_path=True,
                type=Path),
    SuiteOption("report-json", "write the same report as JSON, for dashboards", metavar="FILE.json", is_path=True,
                type=Path),
    SuiteOption("no-preflight", "skip the preflight: the checks that the backend answers and that the config's "
                "credentials and ids work, before any check runs", action="store_true", default=False),
    SuiteOption("baseline", "an earlier run's --report-json: its findings are reported as known and do not fail the "
                "run; new ones do; those gone are reported as fixed", metavar="FILE.json", is_path=True, type=Path),
    SuiteOption("waivers", "YAML list of findings accepted for now (finding: ID, reason: ..., optional expires: "
                "YYYY-MM-DD): shown in the report, they do not fail the run", metavar="FILE.yaml", is_path=True,
                type=Path),
    SuiteOption("rate-limit", "at most this many requests a second to the backend, every process together "
                "(default: no limit)", type=positive_float, metavar="PER_SECOND"),
    SuiteOption("webhook-host", "interface the webhook receiver binds; one the backend can reach (default: "
                "{default})", group="webhooks", default="127.0.0.1", metavar="HOST"),
    SuiteOption("webhook-port", "port of the webhook receiver (default: a free one)", group="webhooks", type=int,
                default=0, metavar="PORT"),
    SuiteOption("webhook-public-url", "base URL the backend reaches the receiver at, when not http://HOST:PORT "
                "(NAT, containers)", group="webhooks", metavar="URL"),
    SuiteOption("webhook-trigger-cmd", "command that changes a flight on the backend, e.g. \"./force.sh "
                "{flight_id} {kind}\" (kind: delay or cancellation; {minutes} too); default: the mock's /_mock/ "
                "control API", group="webhooks", metavar="CMD"),
    SuiteOption("webhook-wait", "how long a due notification may take to arrive (default: {default} s)",
                group="webhooks", type=seconds, default=15.0, metavar="SECONDS"),
    SuiteOption("webhook-final-grace", "how long after the final notification the subscription may live on, and so "
                "how long it must outlive an earlier one (default: 90 s; 5 s against the bundled mock, which retires "
                "it 1 s after)", group="webhooks", type=seconds, metavar="SECONDS"),
    SuiteOption("webhook-quiet", "how long to listen for a notification that must not come, once a later one "
                "came (default: {default} s)", group="webhooks", type=seconds, default=2.0, metavar="SECONDS"),
)
BY_NAME: dict[str, SuiteOption] = {option.name: option for option in OPTIONS}
GROUPS = {"suite": "flight API conformance suite",
          "webhooks": "flight API conformance suite: push notifications"}


def options_in(group: str) -> Iterable[SuiteOption]:
    return (option for option in OPTIONS if option.group == group)


def pytest_args(given: Mapping[str, Any]) -> list[str]:
    """The plugin's flags for the options ``given`` (name -> value; None or False: not given)."""
    return [arg for name, value in given.items() for arg in BY_NAME[name].as_args(value, BY_NAME[name].pytest_flag)]


def command_args(given: Mapping[str, Any]) -> list[str]:
    """The command's flags for the options ``given``: what the tox plugin hands to ``flight-conformance``."""
    return [arg for name, value in given.items() for arg in BY_NAME[name].as_args(value, BY_NAME[name].flag)]
