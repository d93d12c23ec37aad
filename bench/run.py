#!/usr/bin/env python3
"""Benchmark: kolofon against pandoc and against its own engine, on the seed book and generated books.

    .venv/bin/python bench/run.py [--runs N] [--large-runs N] [--huge-runs N] [--skip-pandoc] [--skip-huge]
    .venv/bin/python bench/run.py --quick --skip-pandoc     # small books, one run each: a smoke test

Runs alternate (kolofon, pandoc, engine limit, kolofon...) so that machine noise hits all alike. Reports
medians of wall time, peak memory (largest process of the command's tree), the ratio kolofon/pandoc,
our per-stage breakdown, the no-change rebuild and the rebuild after editing one paragraph; the engine
limit (raw WeasyPrint over the large book's chapters, bench/engine.py); the print edition against the
PDF edition; a book four times the large one; a real-sized index laid out alone (bench/index.py:
the generator's has six entries); and a table of the targets. Results are printed and
written to bench/RESULTS.md (measurement section) and bench/last-run.json; with --quick, to bench/work/."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

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
LARGE_CHAPTERS, HUGE_CHAPTERS = 24, 96  # gen_large's default (~500 pages) and four times it (~2,000)
QUICK_CHAPTERS = 4, 8
Result = dict[str, Any]


def measure(cmd: list[str], cwd: Path = REPO) -> Result:
    """Wall time and peak RSS (MiB of the largest process in the tree) of one command, in a fresh
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
    return {k.strip(): float(v) for k, v in re.findall(r"([^,]+) ([\d.]+)s", match.group(1))} if match else {}


def pdf_pages(output: str) -> int:
    """Pages of the PDF edition, from the build's summary table ('pdf  500  1,234 KiB  dist/x.pdf')."""
    match = re.search(r"^pdf\s+(\d+)\s", output, re.MULTILINE)
    if not match:
        sys.exit(f"no PDF edition in the build's summary:\n{output}")
    return int(match.group(1))


def median(runs: list[Result], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def bench_book(name: str, manuscript: Path, plain: Path | None, runs: int, pandoc: bool,
               engine: bool = False) -> Result:
    """With `engine`, each round also measures the engine limit, so that the two share the machine's
    hour (measured apart, a slow spell once put full build / engine limit at 1.86 instead of 1.43)."""
    out_k, out_p = WORK / f"out-{name}-kolofon", WORK / f"out-{name}-pandoc"
    out_p.mkdir(parents=True, exist_ok=True)
    ours, theirs, stage_runs, limits = [], [], [], []
    for i in range(runs):
        print(f"  {name}: run {i + 1}/{runs}", file=sys.stderr)
        r = measure(kolofon_cmd(manuscript, out_k, "--force"))
        ours.append(r)
        stage_runs.append(stages(r["out"]))
        if pandoc and plain:
            parts = [measure(c) for c in pandoc_cmds(plain, out_p)]
            theirs.append({"wall": sum(p["wall"] for p in parts), "rss_mb": max(p["rss_mb"] for p in parts)})
        if engine:
            limits.append(engine_limit(manuscript))
    result: Result = {"name": name, "runs": runs, "pages": pdf_pages(ours[-1]["out"]),
                      "kolofon_s": median(ours, "wall"), "kolofon_mb": median(ours, "rss_mb"),
                      "stages": {k: statistics.median(s.get(k, 0.0) for s in stage_runs)
                                 for k in stage_runs[0]}}
    if theirs:
        result["pandoc_s"] = median(theirs, "wall")
        result["pandoc_mb"] = median(theirs, "rss_mb")
        result["ratio"] = result["kolofon_s"] / result["pandoc_s"]
    # The author's loop: nothing changed, then one paragraph of one chapter edited.
    measure(kolofon_cmd(manuscript, out_k))
    nochange = [measure(kolofon_cmd(manuscript, out_k))["wall"] for _ in range(3)]
    result["nochange_s"] = statistics.median(nochange)
    chapters = sorted(manuscript.glob("*.md"))
    chapter = chapters[len(chapters) // 2]
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
    result["watch_edit_s"] = statistics.median(watch_edits(manuscript, out_k, chapter, original))
    if limits:
        result["engine"] = {"runs": runs, "engine_s": statistics.median(r["wall"] for r in limits),
                            "chapters": limits[-1]["chapters"], "workers": limits[-1]["workers"]}
    return result


def watch_edits(manuscript: Path, out: Path, chapter: Path, original: str, runs: int = 3) -> list[float]:
    """The same edit under `--watch` (its workers stay up between rebuilds): seconds from the save to
    the build's summary line, the watcher's 0.3 s debounce included."""
    # Ctrl-C is how --watch is stopped; a bench started in the background by a shell inherits SIGINT
    # ignored, and so would the build (it then never stopped), so the build gets the default back.
    proc = subprocess.Popen([*kolofon_cmd(manuscript, out), "--watch"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, cwd=REPO,
                            env={**ENV, "PYTHONUNBUFFERED": "1"}, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stdout is not None

    def until(text: str) -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            if text in line:
                return
        sys.exit(f"--watch ended before '{text}'")

    walls = []
    try:
        until("watching")
        for k in range(runs):
            time.sleep(1)
            start = time.perf_counter()
            chapter.write_text(original.replace("\n\n", f"\n\nPoprawka w{k}. ", 1), encoding="utf-8")
            until("built in")
            walls.append(time.perf_counter() - start)
    finally:
        chapter.write_text(original, encoding="utf-8")
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(60)
    return walls


def engine_limit(manuscript: Path) -> Result:
    """Raw WeasyPrint over the book's chapters, one process per core (bench/engine.py, fresh interpreter)."""
    proc = subprocess.run([PY, str(HERE / "engine.py"), str(manuscript)], capture_output=True, text=True,
                          cwd=REPO, env=ENV)
    if proc.returncode != 0:
        sys.exit(f"engine limit failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def real_index(runs: int) -> Result:
    """A real-sized index laid out alone, on one core (bench/index.py, fresh interpreter)."""
    proc = subprocess.run([PY, str(HERE / "index.py"), str(WORK / "index-ms"), "--runs", str(runs)],
                          capture_output=True, text=True, cwd=REPO, env=ENV)
    if proc.returncode != 0:
        sys.exit(f"the real-sized index failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_editions(manuscript: Path, runs: int) -> Result:
    """The print edition (its own single-pass layout with bleed) against the PDF edition, alternating."""
    walls: dict[str, list[float]] = {"print": [], "pdf": []}
    for i in range(runs):
        print(f"  print vs pdf: run {i + 1}/{runs}", file=sys.stderr)
        for edition, found in walls.items():
            out = WORK / f"out-large-{edition}"
            cmd = kolofon_cmd(manuscript, out, "-e", edition, "--force", "--no-proof")
            found.append(measure(cmd)["wall"])
    print_s, pdf_s = statistics.median(walls["print"]), statistics.median(walls["pdf"])
    return {"runs": runs, "print_s": print_s, "pdf_s": pdf_s, "ratio": print_s / pdf_s}


def bench_huge(manuscript: Path, runs: int) -> Result:
    """A full build of every default edition of the book four times the large one."""
    builds = []
    for i in range(runs):
        print(f"  huge: run {i + 1}/{runs}", file=sys.stderr)
        builds.append(measure(kolofon_cmd(manuscript, WORK / "out-huge-kolofon", "--force")))
    return {"runs": runs, "pages": pdf_pages(builds[-1]["out"]), "kolofon_s": median(builds, "wall"),
            "kolofon_mb": median(builds, "rss_mb"), "stages": stages(builds[-1]["out"])}


def generate(out: Path, chapters: int) -> Path:
    subprocess.run([PY, str(HERE / "gen_large.py"), str(SEED_TEXT), str(out), str(chapters)], check=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs on the seed book (default 5)")
    ap.add_argument("--large-runs", type=int, default=3,
                    help="runs on the large book, its engine limit and print/pdf editions (default 3)")
    ap.add_argument("--huge-runs", type=int, default=1, help="runs on the 2,000-page book (default 1)")
    ap.add_argument("--skip-pandoc", action="store_true")
    ap.add_argument("--skip-huge", action="store_true", help="skip the 2,000-page book")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: 4 and 8 chapters instead of 24 and 96, one run each; "
                         "writes to bench/work/, not RESULTS.md")
    args = ap.parse_args()
    large_chapters, huge_chapters = QUICK_CHAPTERS if args.quick else (LARGE_CHAPTERS, HUGE_CHAPTERS)
    if args.quick:
        args.runs = args.large_runs = args.huge_runs = 1
    pandoc = not args.skip_pandoc and shutil.which("pandoc") is not None
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    shutil.copytree(SEED, WORK / "seed-ms")
    large = generate(WORK / "large", large_chapters)
    seed_plain = WORK / "seed.md"
    seed_plain.write_text(_plain_seed(), encoding="utf-8")
    run: Result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "quick": args.quick, "pandoc": pandoc,
        "books": [bench_book("seed", WORK / "seed-ms", seed_plain, args.runs, pandoc),
                  bench_book("large", large / "ours", large / "plain.md", args.large_runs, pandoc,
                             engine=True)],
        "editions": bench_editions(large / "ours", args.large_runs),
        "index": real_index(args.large_runs),
        "huge": None if args.skip_huge else bench_huge(generate(WORK / "huge", huge_chapters) / "ours",
                                                       args.huge_runs),
    }
    run["engine"] = run["books"][1].pop("engine")
    run["targets"] = targets(run)
    report = render(run)
    print(report)
    where = WORK if args.quick else HERE
    (where / "last-run.json").write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")
    marker, results_md = "<!-- measurements -->", where / "RESULTS.md"
    doc = results_md.read_text(encoding="utf-8") if results_md.exists() else marker
    results_md.write_text(f"{doc.split(marker)[0]}{marker}\n\n{report}\n", encoding="utf-8")
    print(f"\nwritten to {where.relative_to(REPO)}/: RESULTS.md, last-run.json", file=sys.stderr)


def _plain_seed() -> str:
    """The seed manuscript for pandoc: index marks reduced to what they show, as gen_large does."""
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEED.glob("*.md")))
    text = re.sub(r"\(\(\([^()]*\)\)\)", "", text)
    return re.sub(r"\(\(([^()|]*\|)?([^()]*)\)\)", r"\2", text)


def targets(run: Result) -> list[Result]:
    """Rows measure | value | target | met (None: not measured in this run)."""
    (seed, large), engine, editions, huge = run["books"], run["engine"], run["editions"], run["huge"]
    pages, pandoc = large["pages"], "ratio" in large

    def row(measure: str, value: str | None, target: str, met: bool | None) -> Result:
        return {"measure": measure, "value": value, "target": target, "met": met}

    full_engine = large["kolofon_s"] / engine["engine_s"]
    watch_fraction = large["watch_edit_s"] / large["kolofon_s"]
    nochange = max(seed["nochange_s"], large["nochange_s"])
    rows = [
        row(f"kolofon / pandoc, {pages}-page book", f"{large['ratio']:.2f}" if pandoc else None, "≤ 0.8",
            large["ratio"] <= 0.8 if pandoc else None),
        row(f"full build (every default edition) / engine limit, {pages} pages",
            f"{full_engine:.2f} ({large['kolofon_s']:.2f} s / {engine['engine_s']:.2f} s)", "≤ 1.25",
            full_engine <= 1.25),
        row(f"one-paragraph edit / full build, {pages} pages", f"{100 * large['edit_fraction']:.0f} %",
            "≤ 10 %", large["edit_fraction"] <= 0.10),
        row(f"the same edit under --watch / full build, {pages} pages",
            f"{100 * watch_fraction:.0f} % ({large['watch_edit_s']:.2f} s, save to summary)", "≤ 10 %",
            watch_fraction <= 0.10),
        row("no-op rebuild (slower of the two books)", f"{nochange:.2f} s", "< 0.3 s", nochange < 0.3),
        row(f"print edition / PDF edition, {pages} pages",
            f"{editions['ratio']:.2f} ({editions['print_s']:.2f} s / {editions['pdf_s']:.2f} s)", "≤ 1.15",
            editions["ratio"] <= 1.15),
    ]
    if huge:
        time_ratio = huge["kolofon_s"] / large["kolofon_s"]
        mem_ratio = huge["kolofon_mb"] / large["kolofon_mb"]
        scale = f"{huge['pages']} / {pages} pages"
        rows += [row(f"time, {scale}", f"{time_ratio:.2f}x ({huge['kolofon_s']:.2f} s)", "≤ 4.4x",
                     time_ratio <= 4.4),
                 row(f"peak memory, {scale}", f"{mem_ratio:.2f}x ({huge['kolofon_mb']:.0f} MiB)", "≤ 1.3x",
                     mem_ratio <= 1.3)]
    else:
        rows += [row("time, huge / large book", None, "≤ 4.4x", None),
                 row("peak memory, huge / large book", None, "≤ 1.3x", None)]
    rows += [
        row(f"seed book ({seed['pages']} pages), every edition", f"{seed['kolofon_s']:.2f} s", "≤ 1.2 s",
            seed["kolofon_s"] <= 1.2),
        row(f"peak memory, {pages}-page book, kolofon / pandoc",
            f"{large['kolofon_mb']:.0f} / {large['pandoc_mb']:.0f} MiB" if pandoc else None, "≤ pandoc's",
            large["kolofon_mb"] <= large["pandoc_mb"] if pandoc else None),
    ]
    return rows


def render(run: Result) -> str:
    books, engine, editions, huge = run["books"], run["engine"], run["editions"], run["huge"]
    pandoc = run["pandoc"]
    rows = ["| book | kolofon (all editions) | pandoc (EPUB + PDF) | ratio | peak MiB kolofon / pandoc "
            "| no-change rebuild | one-paragraph edit |", "|---|---|---|---|---|---|---|"]
    for r in books:
        p = f"{r['pandoc_s']:.2f} s" if pandoc else "-"
        ratio = f"{r['ratio']:.2f}" if pandoc else "-"
        mem = f"{r['kolofon_mb']:.0f} / {r['pandoc_mb']:.0f}" if pandoc else f"{r['kolofon_mb']:.0f} / -"
        rows.append(f"| {r['name']} ({r['pages']} pages) | {r['kolofon_s']:.2f} s | {p} | {ratio} | {mem} "
                    f"| {r['nochange_s']:.2f} s | {r['edit_s']:.2f} s ({100 * r['edit_fraction']:.0f}%) |")
    if huge:
        rows.append(f"| huge ({huge['pages']} pages) | {huge['kolofon_s']:.2f} s | - | - "
                    f"| {huge['kolofon_mb']:.0f} / - | - | - |")
    all_stages = [(r["name"], r["stages"]) for r in books] + ([("huge", huge["stages"])] if huge else [])
    stage_lines = [f"- {name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in found.items())
                   for name, found in all_stages]
    large = books[1]
    other = [f"- Engine limit ({large['pages']} pages, {engine['chapters']} chapters): raw WeasyPrint in "
             f"{engine['workers']} worker processes, {engine['engine_s']:.2f} s (median of "
             f"{engine['runs']}); full build / engine limit {large['kolofon_s'] / engine['engine_s']:.2f}.",
             f"- Print edition alone {editions['print_s']:.2f} s, PDF edition alone "
             f"{editions['pdf_s']:.2f} s (`-e EDITION --force -q --no-proof`, median of {editions['runs']} "
             f"alternating runs): ratio {editions['ratio']:.2f}."]
    if index := run.get("index"):
        other.append(f"- A real-sized index ({index['entries']} entries, {index['locators']} locators, "
                     f"{index['pages']} pages; bench/index.py) laid out alone on one core: "
                     f"{index['wall']:.2f} s (median of {index['runs']}). A build lays it out after the "
                     "last chapter; the generator's index has six entries.")
    target_rows = ["| measure | value | target | met? |", "|---|---|---|---|"]
    for t in run["targets"]:
        met = "-" if t["met"] is None else "yes" if t["met"] else "**no**"
        target_rows.append(f"| {t['measure']} | {t['value'] or '-'} | {t['target']} | {met} |")
    runs = (f"medians of {books[0]['runs']} (seed), {books[1]['runs']} (large)"
            + (f" and {huge['runs']} (huge)" if huge else "") + " alternating runs")
    quick = " QUICK SMOKE TEST (small books, not the benchmark)." if run["quick"] else ""
    return "\n".join([f"Measured {run['date']} on {run['machine']}; {runs}.{quick}", "", *rows, "",
                      "Targets:", "", *target_rows, "", *other, "",
                      "Per-stage medians of our build (from its summary line; huge: last run):", "",
                      *stage_lines])


if __name__ == "__main__":
    main()
