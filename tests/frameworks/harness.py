"""Install, serve and run the suite against the framework backends in ``tests/frameworks/*/``.

Each backend is an independent program written from the seeds alone on a real framework, its defaults left on, and
described by its ``backend.toml``: how to install it (pip into a venv of its own, or npm), the argv that serves it,
a path that answers once it is up, its conformance config, its ``--webhook-trigger-cmd`` template and its
single-defect mutants (``BACKEND_MUTANT=name``). Installs are kept under ``.tox/frameworks`` (or
``$FRAMEWORK_CACHE``), keyed by the requirements' digest, so a second run installs nothing; pip and npm see the
proxy, CA and ``PIP_*``/``npm_config_*`` variables tox passes on.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.bundled_mock import free_port, stop_process
from tests.serving import wait_until_answering

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
INSTALL_SECONDS = 600.0
STARTUP_SECONDS = 60.0
SUITE_SECONDS = 900.0
# The backends retire a finished flight's subscriptions 2 s after the final POST; the suite allows this much.
FINAL_GRACE_SECONDS = 15


@dataclass(frozen=True)
class Mutant:
    name: str
    defect: str
    killed_by: str
    seed: str


@dataclass(frozen=True)
class Backend:
    name: str
    folder: Path
    install: str  # "pip" or "npm"
    requirements: str
    serve: tuple[str, ...]
    ready_path: str
    config: Path
    trigger: str
    mutants: dict[str, Mutant] = field(default_factory=dict)

    @classmethod
    def load(cls, manifest: Path) -> Backend:
        data: dict[str, Any] = tomllib.loads(manifest.read_text(encoding="utf-8"))
        folder = manifest.parent
        mutants = {name: Mutant(name, m.get("defect", ""), m.get("killed_by", ""), m.get("seed", ""))
                   for name, m in data.get("mutants", {}).items()}
        return cls(data["name"], folder, data["install"], data["requirements"], tuple(data["serve"]),
                   data.get("ready_path", "/"), folder / data["config"], data["trigger"], mutants)


def backends() -> dict[str, Backend]:
    return {b.name: b for b in (Backend.load(p) for p in sorted(HERE.glob("*/backend.toml")))}


def cache_root() -> Path:
    return Path(os.environ.get("FRAMEWORK_CACHE") or ROOT / ".tox" / "frameworks")


@dataclass(frozen=True)
class Installed:
    backend: Backend
    python: str  # the venv's interpreter (pip backends)
    node: str

    def fill(self, template: str, **values: Any) -> str:
        return template.replace("{python}", self.python).replace("{node}", self.node).format_map(
            _Keep({k: str(v) for k, v in values.items()}))


class _Keep(dict):
    """Leaves placeholders it does not know (the suite's own ``{flight_id}``...) as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _run(argv: list[str], cwd: Path, what: str) -> None:
    try:
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=INSTALL_SECONDS, check=False)
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"{what}: no result in {INSTALL_SECONDS:.0f} s ({shlex.join(argv)})") from error
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({shlex.join(argv)}):\n{(done.stderr or done.stdout)[-3000:]}")


@contextmanager
def _install_lock(name: str) -> Iterator[None]:
    """One installer of a backend at a time: test processes of one run share the cache."""
    cache_root().mkdir(parents=True, exist_ok=True)
    with (cache_root() / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def install(backend: Backend) -> Installed:
    """The backend's dependencies, installed once per digest of its requirements file."""
    with _install_lock(backend.name):
        return _install(backend)


def _install(backend: Backend) -> Installed:
    requirements = backend.folder / backend.requirements
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    node = shutil.which("node") or "node"
    if backend.install == "pip":
        venv = cache_root() / f"{backend.name}-{digest}"
        python = venv / "bin" / "python"
        if not (venv / ".installed").exists():
            shutil.rmtree(venv, ignore_errors=True)
            _run([sys.executable, "-m", "venv", str(venv)], ROOT, f"{backend.name}: venv")
            _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r",
                  str(requirements)], backend.folder, f"{backend.name}: pip install")
            (venv / ".installed").write_text(digest)
        return Installed(backend, str(python), node)
    if backend.install == "npm":
        marker = backend.folder / "node_modules" / f".installed-{digest}"
        if not marker.exists():
            npm = shutil.which("npm") or "npm"
            _run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], backend.folder,
                 f"{backend.name}: npm install")
            marker.write_text(digest)
        return Installed(backend, sys.executable, node)
    raise ValueError(f"{backend.name}: unknown install kind {backend.install!r}")


@dataclass(frozen=True)
class Served:
    base_url: str
    port: int
    suite_args: tuple[str, ...]


@contextmanager
def serving(installed: Installed, folder: Path, mutant: str | None = None) -> Iterator[Served]:
    """The backend served on a free loopback port (``mutant`` switched on), stopped by its PID afterwards."""
    backend = installed.backend
    port = free_port()
    env = {**os.environ, "FINAL_DELETE_SECONDS": "2"}
    env.pop("BACKEND_MUTANT", None)
    if mutant is not None:
        env["BACKEND_MUTANT"] = mutant
    argv = [installed.fill(part, port=port) for part in backend.serve]
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / f"{backend.name}-{mutant or 'correct'}.log"
    log = log_path.open("w")
    process = subprocess.Popen(argv, cwd=backend.folder, stdout=log, stderr=subprocess.STDOUT, env=env,
                               start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(process, base_url + backend.ready_path, what=backend.name, log=log_path,
                             timeout=STARTUP_SECONDS)
        trigger = shlex.join(_absolute(installed.fill(part, port=port), backend.folder)
                             for part in shlex.split(backend.trigger))
        yield Served(base_url, port, ("--base-url", base_url, "--conformance-config", str(backend.config),
                                      "--webhook-trigger-cmd", trigger,
                                      "--webhook-final-grace", str(FINAL_GRACE_SECONDS)))
    finally:
        stop_process(process, group=True)
        log.close()


def _absolute(part: str, folder: Path) -> str:
    """A trigger's word naming a file of the backend's folder, made absolute: the suite runs it from elsewhere."""
    return str(folder / part) if not part.startswith(("-", "{")) and (folder / part).is_file() else part


def run_suite(served: Served, *extra: str, timeout: float = SUITE_SECONDS) -> subprocess.CompletedProcess[str]:
    """The suite's command against ``served``, as a CI job runs it (``extra``: more of its options)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run([sys.executable, "-m", "conformance", "-q", "-rfE", *served.suite_args, *extra],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
