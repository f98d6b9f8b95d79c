"""The import graph is a DAG: the contract at the bottom, the suite's checks above it, the mock and the runner on top.

Read from the source (every ``import`` statement, function-level ones included), so a lazy import cannot hide a
dependency that would only show at run time.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The suite's runner: what starts pytest, serves fixtures and starts the bundled mock; checks must not need it.
RUNNER = ("conformance.suite", "conformance.plugin", "conformance.__main__", "conformance.cli",
          "conformance.bundled_mock")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute names; relative imports resolved against its package."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def package_imports(package: str) -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in sorted((ROOT / package).rglob("*.py"))}


def offending(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{module} imports {name}" for module, names in package_imports(package).items() for name in sorted(names)
            if name.startswith(forbidden) and not module.startswith(forbidden)]


def test_imports_are_read_from_the_source() -> None:
    # The rule below would hold trivially if the reader found nothing.
    assert "mock_server.apis" in package_imports("mock_server")["mock_server.errors"]
    assert "api_contract.routing" in package_imports("conformance")["conformance.contract_validation"]


@pytest.mark.parametrize("package", ["api_contract"])
def test_the_contract_layer_imports_neither_the_mock_nor_the_suite(package: str) -> None:
    assert offending(package, ("mock_server", "conformance")) == []


def test_no_module_of_the_suite_imports_the_mock() -> None:
    assert offending("conformance", ("mock_server",)) == []


def test_the_checks_do_not_import_the_suites_runner() -> None:
    checks = [line for line in offending("conformance", RUNNER) if line.startswith("conformance.checks")]
    assert checks == []


def test_the_suites_option_table_needs_only_the_standard_library() -> None:
    # toxfile.py loads it in tox's own interpreter, where nothing else of the project is installed.
    imported = {name.split(".")[0] for name in imports_of(ROOT / "conformance" / "options.py")}
    assert imported and imported - {"__future__"} <= sys.stdlib_module_names
