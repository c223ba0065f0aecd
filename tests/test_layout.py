"""The code's layout holds: dependencies point one way — blueprints, jobs and the CLI use the
workflows (sync/), which use services, clients, rules and models; the pure rules and the API
clients use nothing of the app; only the sandbox blueprint and command touch the emulators."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# package -> top-level modules it must never import (directly, at any depth of the function)
FORBIDDEN = {
    "rules": {"flask", "models", "extensions", "clients", "services", "sync", "jobs", "blueprints"},
    "clients": {"flask", "models", "extensions", "services", "sync", "jobs", "blueprints", "cli"},
    "services": {"sync", "jobs", "blueprints", "cli", "rq", "rq_scheduler"},
    "sync": {"jobs", "blueprints", "cli", "rq", "rq_scheduler"},
    "jobs": {"blueprints", "cli"},
}
SANDBOX_ONLY = {"blueprints/sandbox.py", "cli/processes.py"}


def imported(path: Path) -> set[str]:
    """The top-level names of every module a file imports (module level and inside functions)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def product_files() -> list[Path]:
    """Every product module (not tests, emulators, benchmarks or migrations)."""
    packages = ("blueprints", "cli", "clients", "jobs", "models", "rules", "services", "sync")
    tops = [p for p in ROOT.glob("*.py")]
    return tops + [p for pkg in packages for p in (ROOT / pkg).rglob("*.py")]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_dependencies_point_one_way(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if imported(path) & FORBIDDEN[package]
    }
    assert wrong == {}


def test_only_the_sandbox_touches_the_emulators() -> None:
    touching = {
        str(path.relative_to(ROOT)) for path in product_files() if "emulators" in imported(path)
    }
    assert touching <= SANDBOX_ONLY, touching - SANDBOX_ONLY
