#!/usr/bin/env python3
"""Benchmark: kolofon against pandoc on the seed book and a ~480-page book generated from it.

    .venv/bin/python bench/run.py [--runs N] [--large-runs N] [--skip-pandoc]

Runs alternate (kolofon, pandoc, kolofon, pandoc...) so that machine noise hits both alike. Reports
medians of wall time, peak memory (largest process of the command's tree), the ratio kolofon/pandoc,
our per-stage breakdown, the no-change rebuild and the rebuild after editing one paragraph.
Results are printed and written to bench/RESULTS.md (measurement section)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
SEED = REPO / "manuscript"
SEED_TEXT = Path(os.environ.get("KOLOFON_SEED", REPO.parent / "shared/seed/000_5840696359b3b53d.txt"))
PY = sys.executable
ENV = {**os.environ, "PATH": f"{Path(PY).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
MEASURE = """
import resource, subprocess, sys, time, json
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rss_mb": rss / 1024, "rc": p.returncode, "out": p.stdout[-3000:],
                  "err": p.stderr[-3000:]}))
"""


def measure(cmd: list[str], cwd: Path = REPO) -> dict:
    """Wall time and peak RSS (KiB of the largest process in the tree) of one command, in a fresh
    interpreter so that earlier runs do not count."""
    proc = subprocess.run([PY, "-c", MEASURE, *cmd], capture_output=True, text=True, cwd=cwd, env=ENV)
    result = json.loads(proc.stdout)
    if result["rc"] != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{result['err']}")
    return result


def kolofon_cmd(manuscript: Path, out: Path, *extra: str) -> list[str]:
    return [PY, str(REPO / "build.py"), str(manuscript), "-o", str(out), "-q", *extra]


def pandoc_cmds(plain: Path, out: Path) -> list[list[str]]:
    return [["pandoc", str(plain), "-o", str(out / "book.epub")],
            ["pandoc", str(plain), "--pdf-engine=weasyprint", "-o", str(out / "book.pdf")]]


def stages(output: str) -> dict[str, float]:
    match = re.search(r"built in [\d.]+s \((.*)\)", output)
    return {k: float(v) for k, v in re.findall(r"([a-z ]+?) ([\d.]+)s", match.group(1))} if match else {}


def bench_book(name: str, manuscript: Path, plain: Path | None, runs: int, pandoc: bool) -> dict:
    out_k, out_p = WORK / f"out-{name}-kolofon", WORK / f"out-{name}-pandoc"
    out_p.mkdir(parents=True, exist_ok=True)
    ours, theirs, stage_runs = [], [], []
    for i in range(runs):
        print(f"  {name}: run {i + 1}/{runs}", file=sys.stderr)
        r = measure(kolofon_cmd(manuscript, out_k, "--force"))
        ours.append(r)
        stage_runs.append(stages(r["out"]))
        if pandoc and plain:
            parts = [measure(c) for c in pandoc_cmds(plain, out_p)]
            theirs.append({"wall": sum(p["wall"] for p in parts), "rss_mb": max(p["rss_mb"] for p in parts)})
    result = {"name": name, "runs": runs,
              "kolofon_s": statistics.median(r["wall"] for r in ours),
              "kolofon_mb": statistics.median(r["rss_mb"] for r in ours),
              "stages": {k: statistics.median(s.get(k, 0.0) for s in stage_runs) for k in stage_runs[0]}}
    if theirs:
        result["pandoc_s"] = statistics.median(r["wall"] for r in theirs)
        result["pandoc_mb"] = statistics.median(r["rss_mb"] for r in theirs)
        result["ratio"] = result["kolofon_s"] / result["pandoc_s"]
    # The author's loop: nothing changed, then one paragraph of one chapter edited.
    measure(kolofon_cmd(manuscript, out_k))
    nochange = [measure(kolofon_cmd(manuscript, out_k))["wall"] for _ in range(3)]
    result["nochange_s"] = statistics.median(nochange)
    chapter = sorted(manuscript.glob("*.md"))[len(list(manuscript.glob("*.md"))) // 2]
    original = chapter.read_text(encoding="utf-8")
    edits = []
    try:
        for k in range(3):
            chapter.write_text(original.replace("\n\n", f"\n\nPoprawka {k}. ", 1), encoding="utf-8")
            edits.append(measure(kolofon_cmd(manuscript, out_k))["wall"])
    finally:
        chapter.write_text(original, encoding="utf-8")
    result["edit_s"] = statistics.median(edits)
    result["edit_fraction"] = result["edit_s"] / result["kolofon_s"]
    return result


def pages(pdf: Path) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(str(pdf)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs on the seed book (default 5)")
    ap.add_argument("--large-runs", type=int, default=3, help="runs on the large book (default 3)")
    ap.add_argument("--skip-pandoc", action="store_true")
    args = ap.parse_args()
    pandoc = not args.skip_pandoc and shutil.which("pandoc") is not None
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    shutil.copytree(SEED, WORK / "seed-ms")
    large = WORK / "large"
    subprocess.run([PY, str(HERE / "gen_large.py"), str(SEED_TEXT), str(large)], check=True)
    seed_plain = WORK / "seed.md"
    seed_plain.write_text(_plain_seed(), encoding="utf-8")
    results = [bench_book("seed", WORK / "seed-ms", seed_plain, args.runs, pandoc),
               bench_book("large", large / "ours", large / "plain.md", args.large_runs, pandoc)]
    results[1]["pages"] = pages(next((WORK / "out-large-kolofon").glob("*.pdf")))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    report = render(results, machine, pandoc)
    print(report)
    (HERE / "last-run.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    marker = "<!-- measurements -->"
    doc = (HERE / "RESULTS.md").read_text(encoding="utf-8") if (HERE / "RESULTS.md").exists() else marker
    head = doc.split(marker)[0]
    (HERE / "RESULTS.md").write_text(f"{head}{marker}\n\n{report}\n", encoding="utf-8")


def _plain_seed() -> str:
    """The seed manuscript for pandoc: index marks reduced to what they show, as gen_large does."""
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEED.glob("*.md")))
    text = re.sub(r"\(\(\([^()]*\)\)\)", "", text)
    return re.sub(r"\(\(([^()|]*\|)?([^()]*)\)\)", r"\2", text)


def render(results: list[dict], machine: str, pandoc: bool) -> str:
    rows = ["| book | kolofon (all editions) | pandoc (EPUB + PDF) | ratio | peak MiB kolofon / pandoc "
            "| no-change rebuild | one-paragraph edit |", "|---|---|---|---|---|---|---|"]
    for r in results:
        p = f"{r['pandoc_s']:.2f} s" if pandoc else "-"
        ratio = f"{r['ratio']:.2f}" if pandoc else "-"
        mem = f"{r['kolofon_mb']:.0f} / {r['pandoc_mb']:.0f}" if pandoc else f"{r['kolofon_mb']:.0f} / -"
        label = r["name"] + (f" ({r['pages']} pages)" if "pages" in r else "")
        rows.append(f"| {label} | {r['kolofon_s']:.2f} s | {p} | {ratio} | {mem} | {r['nochange_s']:.2f} s "
                    f"| {r['edit_s']:.2f} s ({100 * r['edit_fraction']:.0f}%) |")
    stage_lines = [f"- {r['name']}: " + ", ".join(f"{k} {v:.2f} s" for k, v in r["stages"].items())
                   for r in results]
    when = time.strftime("%Y-%m-%d")
    return "\n".join([f"Measured {when} on {machine}; medians of {results[0]['runs']} (seed) and "
                      f"{results[1]['runs']} (large) alternating runs.", "", *rows, "",
                      "Per-stage medians of our build (from its summary line):", "", *stage_lines])


if __name__ == "__main__":
    main()
