"""Throughput of the stream inputs against the CLI on files, on the same documents.

    python benchmarks/streams.py ../shared/realpages/wcxb --repeat 5

Writes the pages --repeat times as files and as one JSON Lines file into a temporary folder,
then times, each as a whole process: `cleaner clean -j 1 -o DIR` over the files,
`cleaner clean --input-format jsonl FILE -o OUT.jsonl`, and (when PySpark is installed)
examples/spark_job.py on local[2] over the JSON Lines file, JVM start-up included.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner.corpus import select_pages

SPARK_JOB = Path(__file__).resolve().parent.parent / "examples" / "spark_job.py"


def timed(command: list[str], cwd: Path) -> float:
    """Wall seconds of a command, which must succeed."""
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--split", help="only pages of this split (e.g. test)")
    parser.add_argument("--repeat", type=int, default=5, help="copies of each page (default: 5)")
    args = parser.parse_args()
    pages = select_pages(args.folders, args.split) * args.repeat
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "pages").mkdir()
        with (work / "docs.jsonl").open("w", encoding="utf-8") as records:
            for number, page in enumerate(pages):
                data = page.read_bytes()
                (work / "pages" / f"{number}-{page.name}").write_bytes(data)
                records.write(json.dumps({"id": number, "html": data.decode("utf-8", "replace")}) + "\n")
        runs = {
            "cleaner clean -j 1 (files)": [
                sys.executable, "-m", "cleaner", "clean", "-j", "1", str(work / "pages"), "-o", str(work / "out"),
            ],
            "cleaner clean --input-format jsonl": [
                sys.executable, "-m", "cleaner", "clean", "--input-format", "jsonl", str(work / "docs.jsonl"),
                "-o", str(work / "out.jsonl"),
            ],
        }  # fmt: skip
        if importlib.util.find_spec("pyspark") is not None:
            runs["examples/spark_job.py, local[2]"] = [
                sys.executable, str(SPARK_JOB), "--master", "local[2]", "--input", str(work / "docs.jsonl"),
                "--output", str(work / "parquet"),
            ]  # fmt: skip
        print(f"{len(pages)} documents\n\n| run | seconds | documents/s |\n|---|---:|---:|")
        for name, command in runs.items():
            seconds = timed(command, work)
            print(f"| {name} | {seconds:.1f} | {len(pages) / seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
