"""This project's tox plugin (tox 4 loads ``toxfile.py`` from the project root): ``tox -e conformance --base-url URL
--conformance-config FILE``, without ``--``.

It adds the suite's options (``conformance/options.py``, under the names ``flight-conformance`` takes) to tox's command
line, and hands those given to each ``flight-conformance`` (or ``python -m conformance``) command of the environments
that run, right after the program: arguments after ``--`` come later, so they still win. A relative
``--conformance-config`` is resolved against the directory tox was started in. An environment that does not run the
suite gets a warning naming what it ignores.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from tox.config.cli.parser import ToxParser
from tox.plugin import impl
from tox.tox_env.api import ToxEnv


def _load_options() -> ModuleType:
    # By path: tox's interpreter has tox, not this project (nor its dependencies, which the package imports).
    spec = importlib.util.spec_from_file_location("flight_conformance_options",
                                                  Path(__file__).parent / "conformance" / "options.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


_OPTIONS = _load_options()
_LOGGER = logging.getLogger(__name__)


def _dest(option: Any) -> str:
    return f"flight_conformance_{option.key}"  # clear of tox's own destinations


def _absolute_path(text: str) -> str:
    return str(Path(text).expanduser().resolve())


def _of_type(option: Any) -> type | None:
    """What tox's parser cannot infer (it reads defaults from TOX_* variables and its config file by type)."""
    if option.action != "store" or option.choices:
        return None
    numbers = {_OPTIONS.seconds: float, _OPTIONS.positive_float: float, _OPTIONS.positive_int: int}
    return option.type if option.type in (int, float) else numbers.get(option.type, str)


@impl
def tox_add_option(parser: ToxParser) -> None:
    for option in _OPTIONS.OPTIONS:
        kwargs = option.argparse_kwargs(with_default=False)
        if option.is_path:
            kwargs["type"] = _absolute_path
        kwargs["help"] = f"{kwargs['help']} [{_OPTIONS.COMMAND}]".replace("%", "%%")
        parser.add_argument(option.flag, dest=_dest(option), of_type=_of_type(option), **kwargs)


def _suite_commands(tox_env: ToxEnv) -> list[tuple[list[str], int]]:
    """(arguments, where the suite's options go) of each command of ``tox_env`` that runs the suite."""
    found = []
    for command in tox_env.conf["commands"]:
        args = command.args
        if args and Path(args[0]).name == _OPTIONS.COMMAND:
            found.append((args, 1))
        elif len(args) >= 3 and args[1:3] == ["-m", "conformance"]:
            found.append((args, 3))
    return found


@impl
def tox_before_run_commands(tox_env: ToxEnv) -> None:
    options: argparse.Namespace = tox_env.options
    given = {option.name: getattr(options, _dest(option), None) for option in _OPTIONS.OPTIONS}
    args = _OPTIONS.command_args(given)
    if not args:
        return
    commands = _suite_commands(tox_env)
    if not commands:
        _LOGGER.warning("%s: runs no %s, so it ignores %s", tox_env.name, _OPTIONS.COMMAND, " ".join(args))
    for command, at in commands:
        command[at:at] = args
