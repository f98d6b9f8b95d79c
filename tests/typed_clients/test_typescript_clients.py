"""The specs give a frontend usable TypeScript: openapi-typescript generates the types of both specs, and
``frontend_reads.ts`` (the fields a frontend reads, the bodies it sends, the same calls through openapi-fetch)
compiles against them under ``tsc --strict``, with the README's client example.

Needs npm and the registry: the three packages of ``package.json`` are installed once into a cache outside the
source tree (``.tox/typed-clients``, or ``$TYPED_CLIENTS_NPM_DIR``), within a deadline. ``tox -e ecosystem`` runs
it, and ``.ci/run`` runs that environment.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.npm

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SPECS = {"flightsayer": ROOT / "specs" / "flightsayer.yaml", "garuda": ROOT / "specs" / "garuda.yaml"}
INSTALL_SECONDS = 240
RUN_SECONDS = 180
# npm's defaults are 2 retries, 10-60 s apart, and 5 minutes per request; the user's own npm_config_* settings win.
NPM_BOUNDS = {"npm_config_fetch_retries": "1", "npm_config_fetch_retry_mintimeout": "2000",
              "npm_config_fetch_retry_maxtimeout": "10000", "npm_config_fetch_timeout": "60000"}
TSCONFIG = {
    "compilerOptions": {"target": "es2022", "module": "esnext", "moduleResolution": "bundler",
                        "lib": ["es2022", "dom"], "types": [], "strict": True, "noEmit": True},
    "files": ["frontend_reads.ts", "readme_client.ts"],
}


def readme_client() -> str:
    """The README's TypeScript example, compiled beside the snippet so that it stays true."""
    found = re.search(r"```ts\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert found, "the README shows no TypeScript client"
    return found.group(1)


def _run(command: list[str], *, cwd: Path, timeout: float, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Exit code and output of ``command``; past ``timeout`` its whole process group is stopped (npm's children)."""
    with tempfile.TemporaryFile(mode="w+") as output:  # a file, not a pipe: nobody reads while it runs
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
            pytest.fail(f"{' '.join(command)} did not finish within {timeout} s")
        output.seek(0)
        return code, output.read()


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """The cache's node_modules holding exactly the versions of ``package.json``, installed if they are not."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed: the typed-client test needs Node.js and npm")
    cache = Path(os.environ.get("TYPED_CLIENTS_NPM_DIR") or ROOT / ".tox" / "typed-clients")
    cache.mkdir(parents=True, exist_ok=True)
    wanted = (HERE / "package.json").read_text()
    if (cache / "package.json").is_file() and (cache / "package.json").read_text() == wanted and all(
            (cache / "node_modules" / ".bin" / tool).exists() for tool in ("openapi-typescript", "tsc")):
        return cache / "node_modules"
    (cache / "package.json").write_text(wanted)
    settings = {(k.lower() if k.lower().startswith("npm_config_") else k): v for k, v in os.environ.items()}
    code, printed = _run([npm, "install", "--no-audit", "--no-fund", "--no-progress", "--ignore-scripts"],
                         cwd=cache, timeout=INSTALL_SECONDS, env={**NPM_BOUNDS, **settings})
    assert code == 0, f"npm install failed in {cache}:\n{printed[-3000:]}"
    return cache / "node_modules"


@pytest.fixture(scope="module")
def typed_project(node_modules: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the types generated from both specs, the frontend's snippet and a strict tsconfig."""
    project = tmp_path_factory.mktemp("typed-clients")
    (project / "node_modules").symlink_to(node_modules, target_is_directory=True)
    for api, spec in SPECS.items():
        code, printed = _run([str(node_modules / ".bin" / "openapi-typescript"), str(spec), "-o",
                              str(project / f"{api}.ts")], cwd=project, timeout=RUN_SECONDS)
        assert code == 0, printed[-3000:]
    shutil.copy(HERE / "frontend_reads.ts", project)
    (project / "readme_client.ts").write_text(readme_client().replace('"./api/flightsayer"', '"./flightsayer"'))
    (project / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    return project


@pytest.mark.parametrize("api", sorted(SPECS))
def test_generated_types_have_no_extension_as_a_status_code_and_no_unknown_prediction(typed_project: Path,
                                                                                      api: str) -> None:
    types = (typed_project / f"{api}.ts").read_text()
    assert '"x-mock"' not in types and '"x-contract"' not in types
    assert "| unknown" not in types


def test_a_frontend_snippet_compiles_under_tsc_strict_with_both_generators(typed_project: Path,
                                                                          node_modules: Path) -> None:
    code, printed = _run([str(node_modules / ".bin" / "tsc"), "--strict", "--noEmit", "-p", "tsconfig.json"],
                         cwd=typed_project, timeout=RUN_SECONDS)
    assert code == 0, printed[-5000:]

