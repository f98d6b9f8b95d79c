"""Which load generator the bench gets: wrk when on PATH, else autocannon from npm, else Python; one asked for by
name or nothing. No load here: the installer and PATH are stand-ins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.load_generators import AutocannonLoad, WrkLoad, autocannon_result, choose_generator, how_to_get_a_real_one


class Installer:
    def __init__(self, binary: Path | None, reason: str = "") -> None:
        self.result, self.calls = (binary, reason), 0

    def __call__(self) -> tuple[Path | None, str]:
        self.calls += 1
        return self.result


def on_path(*programs: str):
    return lambda name: f"/usr/bin/{name}" if name in programs else None


WORKS = Path("node_modules/.bin/autocannon")


def test_wrk_on_path_comes_first_and_nothing_is_installed(tmp_path: Path) -> None:
    install = Installer(WORKS)
    generator = choose_generator(which=on_path("wrk", "node"), install_autocannon=install, scratch=tmp_path)
    assert generator.name == "wrk" and isinstance(generator.load, WrkLoad)
    assert install.calls == 0


def test_without_wrk_autocannon_is_installed(tmp_path: Path) -> None:
    install = Installer(WORKS)
    generator = choose_generator(which=on_path("node"), install_autocannon=install, scratch=tmp_path)
    assert generator.name == "autocannon" and isinstance(generator.load, AutocannonLoad)
    assert install.calls == 1
    assert "wrk is not on PATH" in generator.how


def test_when_autocannon_cannot_be_installed_python_says_why(tmp_path: Path) -> None:
    install = Installer(None, "npm install autocannon@9.0.0 failed with exit code 1: ECONNREFUSED")
    generator = choose_generator(which=on_path("node", "npm"), install_autocannon=install, scratch=tmp_path)
    assert generator.name == "python"
    assert "wrk is not on PATH" in generator.how and "ECONNREFUSED" in generator.how


def test_without_node_nothing_is_installed_and_python_says_so(tmp_path: Path) -> None:
    install = Installer(WORKS)
    generator = choose_generator(which=on_path(), install_autocannon=install, scratch=tmp_path)
    assert generator.name == "python" and "node is not installed" in generator.how
    assert install.calls == 0


def test_autocannon_asked_for_is_used_even_with_wrk_on_path(tmp_path: Path) -> None:
    generator = choose_generator("autocannon", which=on_path("wrk", "node"), install_autocannon=Installer(WORKS),
                                 scratch=tmp_path)
    assert generator.name == "autocannon"


def test_python_asked_for_installs_nothing(tmp_path: Path) -> None:
    install = Installer(WORKS)
    generator = choose_generator("python", which=on_path("wrk", "node"), install_autocannon=install, scratch=tmp_path)
    assert generator.name == "python" and install.calls == 0


@pytest.mark.parametrize(("requested", "which", "message"), [
    ("wrk", on_path("node"), "wrk is not installed"),
    ("autocannon", on_path(), "node is not installed"),
])
def test_a_generator_asked_for_that_cannot_be_had_is_an_error_not_a_substitute(
        tmp_path: Path, requested: str, which, message: str) -> None:
    with pytest.raises(LookupError, match=message):
        choose_generator(requested, which=which, install_autocannon=Installer(None, "no npm"), scratch=tmp_path)


def test_an_unknown_generator_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown load generator"):
        choose_generator("ab", which=on_path("wrk"), install_autocannon=Installer(WORKS), scratch=tmp_path)


def test_autocannons_rate_is_over_its_own_duration_and_non_2xx_count_as_errors() -> None:
    load = autocannon_result(json.dumps({"total": 50_000, "duration_s": 5.02, "p50_ms": 1, "p99_ms": 4,
                                         "non2xx": 3, "errors": 2, "cpu_s": 2.5, "wall_s": 5.1}))
    assert load.rps == pytest.approx(50_000 / 5.02)
    assert load.errors == 5
    assert (load.cpu_s, load.wall_s, load.generator) == (2.5, 5.1, "autocannon")


def test_the_way_to_a_real_generator_is_wrk_and_for_python_also_npm() -> None:
    assert "apt-get install wrk" in how_to_get_a_real_one("autocannon")
    assert "npm" not in how_to_get_a_real_one("autocannon")
    assert "apt-get install wrk" in how_to_get_a_real_one("python") and "npm" in how_to_get_a_real_one("python")
