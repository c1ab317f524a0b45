"""Memory of cleaner over a long batch: does resident memory stay flat over 10,000 pages?

    python benchmarks/memory.py ../shared/realpages/wcxb --pages 10000

Copies the pages round and round into a temporary folder (distinct names, deleted after) until
there are --pages of them, then:

1. runs `cleaner clean -j 1 --format text -o DIR` over them once and reports the child's peak
   resident memory (getrusage RUSAGE_CHILDREN, before any other child runs);
2. in a fresh worker process (`memory.py --worker FOLDER`), cleans them one by one with
   `Cleaner().clean(bytes)` and samples VmRSS and VmHWM of /proc/self/status every --every pages.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throughput import copy_pages

from cleaner import Cleaner
from cleaner.corpus import select_pages


def memory_status() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB: resident memory now and at its peak."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def clean_in_process(folder: Path, every: int) -> dict:
    """Clean every .html file of the folder in this process; memory samples every `every` pages."""
    cleaner = Cleaner()
    paths = sorted(folder.glob("*.html"))
    samples = [(0, *memory_status())]
    failed = 0
    start = time.perf_counter()
    for number, path in enumerate(paths, 1):
        try:
            cleaner.clean(path.read_bytes(), "html")
        except Exception:
            failed += 1
        if number % every == 0 or number == len(paths):
            samples.append((number, *memory_status()))
    return {"samples": samples, "failed": failed, "seconds": time.perf_counter() - start}


def run_cli(folder: Path, output: Path) -> tuple[float, float, int]:
    """Seconds, peak resident MB and exit code of `cleaner clean -j 1` over the folder.

    The peak is ru_maxrss of the children: call this before starting any other child.
    """
    cleaner = shutil.which("cleaner")
    if cleaner is None:
        raise SystemExit("memory: no `cleaner` command on PATH (pip install -e .)")
    command = [cleaner, "clean", "-j", "1", "--format", "text", "-o", str(output), str(folder)]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, done.returncode


def run_worker(folder: Path, every: int) -> dict:
    """The in-process measurement, in a fresh process of its own."""
    command = [sys.executable, __file__, "--worker", str(folder), "--every", str(every)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def markdown_table(result: dict) -> str:
    """The samples as a Markdown table and the figures asked for: first and last thousand, peak."""
    samples = result["samples"]
    lines = ["| pages cleaned | RSS MB | peak RSS MB |", "|---:|---:|---:|"]
    lines += [f"| {pages:,} | {rss:.0f} | {peak:.0f} |" for pages, rss, peak in samples]
    first, last = samples[1] if len(samples) > 1 else samples[0], samples[-1]
    lines += [
        "",
        f"RSS after the first {first[0]:,} pages: {first[1]:.0f} MB; after all {last[0]:,}: {last[1]:.0f} MB "
        f"({last[1] - first[1]:+.0f} MB); peak {last[2]:.0f} MB; "
        f"{result['failed']} pages failed; {last[0] / result['seconds']:.1f} pages/s",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Copy the pages, run the CLI once and the in-process worker, print what they used."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--split", help="only pages of this split (e.g. test)")
    parser.add_argument("--pages", type=int, default=10_000, help="pages to clean (default: 10000)")
    parser.add_argument("--every", type=int, default=1000, help="sample memory every N pages (default: 1000)")
    parser.add_argument("--worker", type=Path, metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(clean_in_process(args.worker, args.every)))
        return 0
    pages = select_pages(args.folders, args.split)
    if not pages:
        print("memory: no pages among the inputs", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="cleaner-memory-") as temporary:
        work = Path(temporary)
        copy_pages(pages, args.pages, work / "pages")
        print(f"{args.pages:,} pages ({len(pages)} distinct)")
        own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        seconds, cli_peak, exit_code = run_cli(work / "pages", work / "out")
        result = run_worker(work / "pages", args.every)
    print(markdown_table(result))
    print(
        f"`cleaner clean -j 1 --format text` over the same pages: peak RSS {cli_peak:.0f} MB, {seconds:.1f} s "
        f"({args.pages / seconds:.1f} pages/s), exit {exit_code}"
    )
    if cli_peak <= own_peak:
        print(f"(not above this script's own peak of {own_peak:.0f} MB, which a child's ru_maxrss starts from)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
