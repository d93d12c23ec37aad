"""DAISY Ace, the accessibility checker publishers use: outcome "pass", no violations.

Runs whenever Ace (npm @daisy/ace-cli) and Chromium are installed; CI installs them (`make ace-tools`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from kolofon.pipeline import Options, build
from tests.conftest import MANUSCRIPT, REPO, require_tool

ACE = REPO / "node_modules" / ".bin" / "ace-cli"


def test_ace_reports_pass_without_violations(tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    require_tool(ACE.exists() and chromium is not None, "DAISY Ace with Chromium (make ace-tools)")
    result = build(Options(MANUSCRIPT, tmp_path / "dist", editions=("epub",), force=True, proof=False))
    epub = next(o.path for o in result.outputs if o.edition == "epub")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium or "", "PUPPETEER_SKIP_DOWNLOAD": "true"}
    subprocess.run([str(ACE), "--force", "--silent", "--outdir", str(tmp_path / "ace"), str(epub)],
                   env=env, check=False, capture_output=True, timeout=600)
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    violations = [(a.get("earl:testSubject", {}).get("url"), r["earl:test"]["dct:title"],
                   r["earl:result"].get("dct:description", "")[:200])
                  for a in report.get("assertions", []) for r in a.get("assertions", [])
                  if r["earl:result"]["earl:outcome"] == "fail"]
    assert violations == []
    assert report["earl:result"]["earl:outcome"] == "pass"
