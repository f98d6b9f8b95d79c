"""The whole default suite passes against correct backends built the way teams build them: Django REST framework,
FastAPI and Express, each written from the seeds alone with its framework's defaults left on (OPTIONS metadata, a
browsable API, trailing-slash redirects, the framework's own validation, 404 and 405 bodies). A suite that failed
one of them would fail the real backends it is meant for.

Each runs as a CI pipeline would: ``python -m conformance --base-url URL --conformance-config FILE
--webhook-trigger-cmd ...``, the ci profile, push checks included, the command's default ``--jobs``.
"""

from __future__ import annotations

import pytest

from tests.frameworks.conftest import installed
from tests.frameworks.harness import backends, run_suite, serving

BACKENDS = backends()


def test_there_are_backends_on_three_frameworks() -> None:
    assert {"drf", "fastapi", "express"} <= set(BACKENDS)


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_the_whole_default_suite_passes_against_a_framework_backend(name: str, installed_backends, tmp_path) -> None:
    with serving(installed(installed_backends, BACKENDS[name]), tmp_path) as served:
        run = run_suite(served)
    assert run.returncode == 0, f"the suite failed the correct {name} backend:\n{run.stdout[-12000:]}"
    tally = run.stdout.strip().splitlines()[-1]
    assert " passed" in tally and " failed" not in tally, tally
