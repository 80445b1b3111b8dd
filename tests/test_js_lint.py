"""The pages' JavaScript passes ESLint (eslint.config.mjs: its recommended rules, browser
globals). ESLint comes from npm (package.json, package-lock.json): `npm ci` installs it, as
.ci/run does; without it this test is skipped loudly, and fails under CI."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import require_service

ROOT = Path(__file__).resolve().parents[1]
SCRIPT_DIRS = ["kiosk/static", "display/static", "queue_server/static"]  # vendor/ is ignored


def test_page_scripts_pass_eslint():
    require_service("Node.js (npx)", shutil.which("npx") is not None, "apt-get install nodejs npm")
    require_service("ESLint", (ROOT / "node_modules" / "eslint").is_dir(), "npm ci")
    run = subprocess.run(["npx", "--no-install", "eslint", "--max-warnings", "0", "--format", "json",
                          *SCRIPT_DIRS], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.stdout.strip(), run.stderr          # a config error prints no report
    report = json.loads(run.stdout)
    findings = [f"{Path(r['filePath']).relative_to(ROOT)}:{m.get('line')}:{m.get('column')} "
                f"{m['message']} ({m.get('ruleId')})" for r in report for m in r["messages"]]
    assert findings == [] and run.returncode == 0, "\n".join(findings) or run.stderr

    # Every page script was linted, and the vendored Socket.IO client was not.
    linted = {Path(r["filePath"]).relative_to(ROOT).as_posix() for r in report}
    expected = {p.relative_to(ROOT).as_posix() for d in SCRIPT_DIRS for p in (ROOT / d).glob("*.js")}
    assert linted == expected
    assert "queue_server/static/counter.js" in linted
