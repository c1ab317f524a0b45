"""trafilatura over a folder of pages, each page's text to a file, as `cleaner clean -o DIR FOLDER` does.

    python benchmarks/trafilatura_batch.py -o OUT_DIR IN_DIR

throughput.py times this whole process beside `cleaner clean` so that the work matches: read
each .html file, decode it as UTF-8 (bad bytes replaced), extract, write `<stem>.txt`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import trafilatura
from systems import decode


def main(argv: list[str] | None = None) -> int:
    """Extract every .html file of the input folder; 1 when any page failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path, help="folder of .html pages")
    parser.add_argument("-o", "--output", type=Path, required=True, help="folder for the <stem>.txt outputs")
    args = parser.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in sorted(args.input.glob("*.html")):
        try:
            text = trafilatura.extract(decode(path.read_bytes())) or ""
        except Exception as error:
            failed += 1
            print(f"trafilatura_batch: {path}: {error}", file=sys.stderr)
            continue
        (args.output / f"{path.stem}.txt").write_text(text + "\n" if text else "", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
