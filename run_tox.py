"""Run tox from a venv of its own, so ``python3 run_tox.py ...`` works with any Python 3.11+.

An externally managed Python (PEP 668: Debian and Ubuntu's system Python, Homebrew's) refuses ``pip install tox``.
This script needs only the standard library: on first use it makes a venv under ``.tox/launcher`` with tox in it,
then hands every argument to that tox (``python3 run_tox.py -e mock``, ``python3 run_tox.py -- tests/test_specs.py``).
In a venv, pyenv or conda Python it does the same; one that has tox already can run ``tox`` itself.

Not ``.venv``: that name is a file here (PEP 832), which points editors and ``uv run`` at ``.tox/py``, the
environment the tests run in.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

TOX = "tox>=4.20"  # as tox.ini's `requires`, so tox never provisions a second copy of itself
ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".tox" / "launcher"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
READY = VENV / "launcher-ready"  # written last: a venv without it was interrupted and is made again
NO_VENV_HINT = ("on Debian or Ubuntu, `apt install python3-venv`; or run tox without cloning anything: "
                "`pipx run tox ...` or `uvx tox ...`")


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 (run by any python3, before tox or pip can say so)
        sys.stderr.write(f"run_tox.py: Python 3.11 or newer is needed, this is {sys.version.split()[0]}\n")
        return 2
    VENV.parent.mkdir(exist_ok=True)
    with _one_at_a_time(VENV.parent / "launcher.lock"):  # two terminals started at once make one venv
        if not _usable():
            code = _make_venv()
            if code:
                return code
    tox = BIN / ("tox.exe" if os.name == "nt" else "tox")
    if os.name == "nt":
        return subprocess.call([str(tox), *argv])
    os.execv(tox, [str(tox), *argv])  # tox takes this process's place: its PID, its signals, its exit code


@contextlib.contextmanager
def _one_at_a_time(lock: Path) -> Iterator[None]:
    with lock.open("w") as handle:
        if os.name != "nt":
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _usable() -> bool:
    if not READY.is_file() or READY.read_text() != TOX:
        return False
    python = BIN / ("python.exe" if os.name == "nt" else "python")
    # The Python the venv was made from may have been upgraded or removed since.
    return subprocess.run([str(python), "-c", ""], capture_output=True).returncode == 0


def _make_venv() -> int:
    shutil.rmtree(VENV, ignore_errors=True)
    sys.stderr.write(f"run_tox.py: installing {TOX} into {VENV.relative_to(ROOT)} (once)\n")
    made = subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True, text=True)
    if made.returncode != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        sys.stderr.write(f"{made.stdout}{made.stderr}run_tox.py: `{sys.executable} -m venv` failed: "
                         f"{NO_VENV_HINT}\n")
        return made.returncode
    python = BIN / ("python.exe" if os.name == "nt" else "python")
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", TOX])
    if installed.returncode != 0:
        sys.stderr.write(f"run_tox.py: pip could not install {TOX} (see above); behind a proxy, set HTTPS_PROXY "
                         "or PIP_INDEX_URL\n")
        return installed.returncode
    READY.write_text(TOX)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
