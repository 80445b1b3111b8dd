"""The layer rules, checked over the imports by import-linter (contracts in pyproject.toml,
[tool.importlinter]).

A wrong import fails the suite and names the broken contract. For instance, planting

    import flask

at the end of queue_server/domain/model.py makes `test_the_layer_rules_hold` fail with

    AssertionError: broken import contracts: {'domain imports no other layer, no web framework
    and no database library'}
      queue_server.domain is not allowed to import flask:
      -   queue_server.domain.model -> flask (l.446)

and `test_a_planted_wrong_import_breaks_exactly_its_contracts` does just that, on a copy of
the tree, for wrong imports into every layer. By hand: `lint-imports --no-cache`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

DOMAIN = "domain imports no other layer, no web framework and no database library"
SERVICE_LAYER = "service layer imports neither the web framework nor the adapters, web or live"
PRINTER = "printer (the kiosk's print agent) does not import the server"
MIGRATIONS = "migrations import nothing of the app (they stay as they were written)"
RUBRIC = "rubric (the GECC criteria and evidence) is plain Python over the domain"

KNOWN_BROKEN: set[str] = set()  # none: a contract that breaks fails the test


def lint(root: Path) -> tuple[set[str], set[str], str]:
    """Run import-linter on the tree at `root`: (kept, broken) contract names, and its report."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    command = [str(lint_imports)] if lint_imports.exists() else [
        sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"]
    result = subprocess.run(
        [*command, "--no-cache", "--no-logo", str(root / "pyproject.toml")],
        cwd=root, capture_output=True, text=True, timeout=60,
        env={**os.environ, "COLUMNS": "1000", "NO_COLOR": "1", "TERM": "dumb"})
    report = result.stdout + result.stderr
    verdicts = dict((name, verdict) for name, verdict in
                    re.findall(r"^(\S.*?) (KEPT|BROKEN)$", result.stdout, re.MULTILINE))
    kept = {name for name, verdict in verdicts.items() if verdict == "KEPT"}
    broken = {name for name, verdict in verdicts.items() if verdict == "BROKEN"}
    assert kept | broken == {DOMAIN, SERVICE_LAYER, PRINTER, MIGRATIONS, RUBRIC}, report
    assert result.returncode == (1 if broken else 0), report
    return kept, broken, report


def test_the_layer_rules_hold():
    _kept, broken, report = lint(ROOT)
    assert not broken - KNOWN_BROKEN, f"broken import contracts: {broken - KNOWN_BROKEN}\n{report}"
    assert not KNOWN_BROKEN - broken, f"kept now, take out of KNOWN_BROKEN: {KNOWN_BROKEN - broken}"


def _copy_tree(to: Path) -> None:
    """The Python files of the linted packages and the config, nothing else (fast)."""
    def only_python(_dir, names):
        return [n for n in names if n == "__pycache__" or ("." in n and not n.endswith(".py"))
                or n in ("static", "templates")]

    for package in ("queue_server", "printer", "rubric"):
        shutil.copytree(ROOT / package, to / package, ignore=only_python)
    shutil.copy(ROOT / "pyproject.toml", to / "pyproject.toml")
    # queue_server (and its migrations) are namespace packages: the installed queue_server would
    # be a second portion, linted too. Regular packages in the working directory shadow it.
    for directory in (to / "queue_server").glob("**/"):
        (directory / "__init__.py").touch()


# A wrong import breaks its own layer's contract, and those of the layers that import that
# layer (the contracts forbid indirect imports too): flask in the domain reaches the service
# layer and rubric through it.
@pytest.mark.parametrize(("module", "wrong_import", "contracts"), [
    ("queue_server/domain/model.py", "import flask", {DOMAIN, SERVICE_LAYER, RUBRIC}),
    ("queue_server/domain/booking.py", "from queue_server.adapters import orm",
     {DOMAIN, SERVICE_LAYER}),  # rubric does not read bookings
    ("printer/agent.py", "from queue_server.live import print_agents", {PRINTER}),
    ("queue_server/service_layer/tickets.py", "from sqlalchemy.orm import Session", {SERVICE_LAYER}),
    ("queue_server/service_layer/context.py", "from queue_server.adapters import repository",
     {SERVICE_LAYER}),
    ("rubric/evidence.py", "import flask", {RUBRIC, SERVICE_LAYER}),
    ("queue_server/migrations/versions/0001_queue_core.py",
     "import queue_server.adapters.orm", {MIGRATIONS}),
])
def test_a_planted_wrong_import_breaks_exactly_its_contracts(tmp_path, module, wrong_import,
                                                             contracts):
    _copy_tree(tmp_path)
    with open(tmp_path / module, "a", encoding="utf-8") as source:
        source.write(f"\n{wrong_import}  # planted by the test\n")

    _kept, broken, report = lint(tmp_path)

    assert broken == KNOWN_BROKEN | contracts, report
    assert re.search(rf"{re.escape(module[:-3].replace('/', '.'))} -> ", report), report
