"""Quality, speed and memory of cleaner and the peer extractors on pages in the realpages layout.

    python benchmarks/compare.py ../shared/realpages/wcxb --split test
    python benchmarks/compare.py ../shared/realpages/wcxb --systems cleaner,trafilatura --out /tmp/bench

Each system runs in a fresh process of its own (benchmarks/systems.py), pinned to one CPU with
one BLAS/OpenMP thread: pages per second is wall time on one core over all pages after one
warm-up page, decoding included, and peak memory is that process's. Scores use the metrics of
`cleaner evaluate`. A peer that is not installed is skipped; a page on which a system raises
counts as empty output. Prints the table and writes table.md and chart.png to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from systems import SYSTEMS

from cleaner.corpus import TruthPage, read_truth_pages, select_pages
from cleaner.evaluate import Summary, score_page, summarize

WORKER = Path(__file__).with_name("systems.py")
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(slots=True)
class SystemResult:
    """One system's scores, speed and memory on the pages."""

    name: str
    versions: dict[str, str]
    summary: Summary
    pages_per_second: float
    peak_mb: float
    base_mb: float
    errors: dict[str, int]

    @property
    def version(self) -> str:
        """The version of the system itself: the first of its distributions."""
        return next(iter(self.versions.values()))


def run_worker(system: str, pages: list[TruthPage], timeout: float) -> dict:
    """The JSON result of systems.py for one system in a fresh process; {"note": why} when there is none."""
    paths = "\n".join(str(page.html_path) for page in pages)
    command = [sys.executable, str(WORKER), system]
    try:
        done = subprocess.run(
            command, input=paths, capture_output=True, text=True, env=dict(os.environ, **ONE_THREAD), timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"note": f"gave no result within {timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"note": f"worker failed (exit {done.returncode}): {last}"}
    result = json.loads(lines[-1])  # the last line: a library may print before it
    if "missing" in result:
        return {"note": f"not installed ({result['missing']})"}
    return result


def score(result: dict, pages: list[TruthPage]) -> SystemResult:
    """A worker's outputs scored against the pages' truth."""
    scores = [score_page(p.name, out, "\n".join(p.truth), p.without) for p, out in zip(pages, result["outputs"])]
    return SystemResult(
        name=result["system"],
        versions=result["versions"],
        summary=summarize(scores),
        pages_per_second=len(pages) / result["seconds"],
        peak_mb=result["peak_mb"],
        base_mb=result["base_mb"],
        errors=result["errors"],
    )


def markdown_table(results: list[SystemResult]) -> str:
    """The results side by side as a Markdown table."""
    lines = [
        "| system | precision | recall | F1 | promo leak | pages/s (1 core) | peak MB | failed pages |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        s = r.summary
        lines.append(
            f"| {r.name} {r.version} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.promo_leak:.1%} "
            f"| {r.pages_per_second:.0f} | {r.peak_mb:.0f} | {sum(r.errors.values())} |"
        )
    return "\n".join(lines) + "\n"


def error_notes(results: list[SystemResult]) -> list[str]:
    """A line per system with failed pages: how many, and the commonest error."""
    notes = []
    for r in results:
        if r.errors:
            message, count = max(r.errors.items(), key=lambda item: item[1])
            notes.append(f"{r.name}: {sum(r.errors.values())} pages raised (most often, {count}x: {message})")
    return notes


def cpu_model() -> str:
    """The CPU model named in /proc/cpuinfo, else what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def report(table: str, results: list[SystemResult], notes: list[str], pages: int, args: argparse.Namespace) -> str:
    """table.md: the table with the date, the machine, the pages and every system's versions."""
    folders = ", ".join(str(f) for f in args.folders)
    lines = [
        "# cleaner and the peer extractors",
        "",
        f"- date: {datetime.now():%Y-%m-%d %H:%M}",
        f"- machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}",
        f"- pages: {pages} from {folders}" + (f", split {args.split}" if args.split else ""),
        "- each system in a fresh process pinned to one CPU, one BLAS/OpenMP thread; pages/s is wall time over "
        "all pages after one warm-up page, decoding included; peak MB is that process's peak resident memory "
        "(VmHWM), which includes Python and the pages read into memory",
        "",
        table,
        "Versions:",
        "",
    ]
    lines += [f"- {r.name}: " + ", ".join(f"{name} {v}" for name, v in r.versions.items()) for r in results]
    if results:
        lines += ["", f"Peak memory before a system is imported (Python and the pages): {results[0].base_mb:.0f} MB."]
    if notes:
        lines += ["", "Notes:", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def draw_chart(results: list[SystemResult], path: Path, pages: int) -> bool:
    """F1 against pages per second (log scale), a labelled point per system sized by promo leak.

    Returns False, drawing nothing, when matplotlib is not installed.
    """
    try:
        import matplotlib
    except ImportError:
        return False

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5.5))
    for number, r in enumerate(results):
        leak = r.summary.promo_leak
        area = 40 + 1500 * leak  # points squared
        axes.scatter(r.pages_per_second, r.summary.f1, s=area, alpha=0.6)
        offset = area**0.5 / 2 + 2  # just outside the marker
        above = number % 2 == 0  # labels of neighbouring systems alternate above and below
        axes.annotate(
            f"{r.name}\nleak {leak:.0%}",
            (r.pages_per_second, r.summary.f1),
            xytext=(offset, offset if above else -offset),
            textcoords="offset points",
            va="bottom" if above else "top",
            fontsize=9,
        )
    axes.set_xscale("log")
    axes.set_xlabel("pages per second on one core (log scale)")
    axes.set_ylabel("F1 (tokens, mean over pages)")
    axes.set_title(f"{pages} pages; marker area grows with promo leak")
    axes.grid(True, which="both", alpha=0.3)
    axes.margins(x=0.25, y=0.15)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True


def system_list(value: str) -> list[str]:
    """Parse --systems: known names, comma-separated."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in SYSTEMS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown system {', '.join(unknown)}; choose from {', '.join(SYSTEMS)}")
    return names


def main(argv: list[str] | None = None) -> int:
    """Run every chosen system on the pages, print the table and write the report and chart."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--split", help="only pages of this split (e.g. test)")
    parser.add_argument("--systems", type=system_list, default=list(SYSTEMS), help="comma-separated (default: all)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results", help="folder for the report")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds one system may take (default: 3600)")
    args = parser.parse_args(argv)
    pages = read_truth_pages(select_pages(args.folders, args.split))
    if not pages:
        print("compare: no pages with a truth.txt among the inputs", file=sys.stderr)
        return 1
    print(f"{len(pages)} pages")
    results, notes = [], []
    for system in args.systems:
        print(f"running {system} ...", file=sys.stderr, flush=True)
        result = run_worker(system, pages, args.timeout)
        if "note" in result:
            print(f"skipped {system}: {result['note']}")
            notes.append(f"{system} skipped: {result['note']}")
        else:
            results.append(score(result, pages))
    failures = error_notes(results)
    notes += failures
    table = markdown_table(results)
    print(table + "".join(f"\n{line}" for line in failures))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "table.md").write_text(report(table, results, notes, len(pages), args), encoding="utf-8")
    print(f"wrote {args.out / 'table.md'}")
    if draw_chart(results, args.out / "chart.png", len(pages)):
        print(f"wrote {args.out / 'chart.png'}")
    else:
        print("no chart: matplotlib is not installed (pip install -e '.[bench]')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
