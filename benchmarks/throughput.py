"""Whole-process throughput of `cleaner clean` with one and two jobs, and of trafilatura, on the same pages.

    python benchmarks/throughput.py ../shared/realpages/wcxb --split test --repeat 5

Copies the pages --repeat times into a temporary folder (distinct names), then times one after
the other, each as a whole process from start to exit (interpreter start-up, imports and model
loading included): `cleaner clean -j 1 --format text -o DIR`, the same with -j 2, and
benchmarks/trafilatura_batch.py, which reads, extracts and writes each page the same way.
Prints pages per second of each, cleaner -j 1 / trafilatura and -j 2 / -j 1.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from cleaner.corpus import select_pages

TRAFILATURA_BATCH = Path(__file__).with_name("trafilatura_batch.py")


@dataclass(slots=True)
class Run:
    """One timed process: what ran, over how many pages, how long, and how it ended."""

    name: str
    pages: int
    seconds: float
    exit_code: int
    written: int

    @property
    def pages_per_second(self) -> float:
        """Pages over the wall time of the whole process."""
        return self.pages / self.seconds


def copy_pages(paths: list[Path], count: int, folder: Path) -> list[Path]:
    """`count` copies of the pages, going round them in order, named <number>-<stem>.html in the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for number in range(count):
        source = paths[number % len(paths)]
        target = folder / f"{number:06d}-{source.stem}.html"
        shutil.copyfile(source, target)
        copies.append(target)
    return copies


def time_process(name: str, command: list[str], pages: int, output: Path) -> Run:
    """Run a command to its end and time it; its stderr goes to ours only when it fails."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(f"{name} exited with {done.returncode}: {done.stderr.strip()[-500:]}", file=sys.stderr)
    written = len(list(output.iterdir())) if output.exists() else 0
    return Run(name, pages, seconds, done.returncode, written)


def commands(inputs: Path, work: Path) -> list[tuple[str, list[str], Path]]:
    """(name, command line, output folder) of every process to time; a note for those that cannot run."""
    runs = []
    cleaner = shutil.which("cleaner")
    if cleaner is None:
        print("skipped cleaner: no `cleaner` command on PATH (pip install -e .)")
    else:
        for jobs in (1, 2):
            output = work / f"cleaner-j{jobs}"
            command = [cleaner, "clean", "-j", str(jobs), "--format", "text", "-o", str(output), str(inputs)]
            runs.append((f"cleaner clean -j {jobs}", command, output))
    if importlib.util.find_spec("trafilatura") is None:
        print("skipped trafilatura: not installed (pip install -e '.[bench]')")
    else:
        output = work / "trafilatura"
        runs.append(
            (
                "trafilatura (one process)",
                [sys.executable, str(TRAFILATURA_BATCH), "-o", str(output), str(inputs)],
                output,
            )
        )
    return runs


def markdown_table(runs: list[Run]) -> str:
    """The runs as a Markdown table, then the ratios of issue 4 where both sides ran."""
    lines = ["| process | pages | seconds | pages/s | exit | outputs |", "|---|---:|---:|---:|---:|---:|"]
    for run in runs:
        lines.append(
            f"| {run.name} | {run.pages} | {run.seconds:.1f} | {run.pages_per_second:.1f} "
            f"| {run.exit_code} | {run.written} |"
        )
    speeds = {run.name: run.pages_per_second for run in runs}
    one, two, peer = (speeds.get(n) for n in ("cleaner clean -j 1", "cleaner clean -j 2", "trafilatura (one process)"))
    lines.append("")
    if one and peer:
        lines.append(f"cleaner -j 1 / trafilatura: {one / peer:.2f}x")
    if one and two:
        lines.append(f"cleaner -j 2 / cleaner -j 1: {two / one:.2f}x")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Copy the pages, time every process on them, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--split", help="only pages of this split (e.g. test)")
    parser.add_argument("--repeat", type=int, default=1, help="copies of the page list to run over (default: 1)")
    args = parser.parse_args(argv)
    pages = select_pages(args.folders, args.split)
    if not pages:
        print("throughput: no pages among the inputs", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="cleaner-throughput-") as temporary:
        work = Path(temporary)
        count = len(copy_pages(pages, len(pages) * args.repeat, work / "pages"))
        print(f"{count} pages ({len(pages)} x {args.repeat})")
        runs = [time_process(name, command, count, output) for name, command, output in commands(work / "pages", work)]
    print(markdown_table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
