"""Behind a corporate proxy with its own CA, every tox environment that may download (pip, npm for Prism, httpx) must
see the proxy, the CA bundle and pip's and npm's own settings: tox passes only what it is told to."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Both spellings of the proxy variables: curl and pip read the lower case, node and many tools the upper case.
NEEDED = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "SSL_CERT_FILE",
          "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "PIP_INDEX_URL", "PIP_CERT",
          "npm_config_registry", "npm_config_cafile", "NPM_CONFIG_REGISTRY", "NPM_CONFIG_STRICT_SSL"]


def pass_env_of_every_env() -> dict[str, list[str]]:
    shown = subprocess.run([sys.executable, "-m", "tox", "config", "-e", "ALL", "-k", "pass_env"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, check=True).stdout
    envs: dict[str, list[str]] = {}
    current = None
    for line in shown.splitlines():
        if line.startswith("[testenv:"):
            current = envs.setdefault(line[len("[testenv:"):-1], [])
        elif line.startswith("  ") and current is not None:
            current.append(line.strip())
    return envs


@pytest.fixture(scope="module")
def pass_env() -> dict[str, list[str]]:
    return pass_env_of_every_env()


def test_every_environment_is_listed(pass_env: dict[str, list[str]]) -> None:
    assert {"lint", "py", "bench", "conformance", "schemathesis"} <= set(pass_env)


@pytest.mark.parametrize("variable", NEEDED)
def test_every_environment_passes_the_proxy_and_ca_settings(pass_env: dict[str, list[str]], variable: str) -> None:
    # Matched case-sensitively: older tox releases on POSIX compare names as written.
    missing = [env for env, patterns in pass_env.items()
               if not any(fnmatch.fnmatchcase(variable, pattern) for pattern in patterns)]
    assert missing == [], f"{variable} is not passed to {missing}"
