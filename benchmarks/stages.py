"""Where cleaner's time goes: milliseconds per page for each stage of the HTML path.

    python benchmarks/stages.py ../shared/realpages/wcxb [--batch 16] [--profile]

Runs each stage of `Cleaner.clean` by hand over the pages (after one warm-up pass) on one
thread, and prints the mean time per page of: decoding, parsing, segmentation, features,
the first stage, the second stage's page features and the second stage itself. With
--batch N the classifier stages run once per N pages, as `cleaner clean` does. With
--profile, also prints the 25 functions with the most own time (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections import defaultdict
from pathlib import Path

from threadpoolctl import threadpool_limits

from cleaner import Cleaner
from cleaner.blocks import parse_html, segment_html
from cleaner.corpus import select_pages
from cleaner.decode import decode_bytes
from cleaner.model import _aligned_proba, page_relative_features


def run_stages(documents: list[bytes], cleaner: Cleaner, batch: int) -> dict[str, float]:
    """Seconds spent in each stage over all documents."""
    model = cleaner.model.html
    spent: dict[str, float] = defaultdict(float)
    for start in range(0, len(documents), batch):
        blocks = []
        for data in documents[start : start + batch]:
            clock = time.perf_counter()
            text = decode_bytes(data)
            spent["decode"] += time.perf_counter() - clock
            clock = time.perf_counter()
            root = parse_html(text)
            spent["parse"] += time.perf_counter() - clock
            clock = time.perf_counter()
            blocks += segment_html(root).blocks
            spent["segment"] += time.perf_counter() - clock
        clock = time.perf_counter()
        features, numbers = model.featurizer_.features(blocks)
        spent["features"] += time.perf_counter() - clock
        clock = time.perf_counter()
        first = _aligned_proba(model.block_model_, features)
        spent["first stage"] += time.perf_counter() - clock
        clock = time.perf_counter()
        relative = page_relative_features(blocks, first, numbers)
        spent["page features"] += time.perf_counter() - clock
        clock = time.perf_counter()
        model.page_model_.predict_proba(relative)
        spent["second stage"] += time.perf_counter() - clock
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--split", help="only pages of this split (e.g. test)")
    parser.add_argument("--batch", type=int, default=1, help="pages per classifier call (default: 1)")
    parser.add_argument("--profile", action="store_true", help="also print the top functions by own time")
    args = parser.parse_args()
    documents = [path.read_bytes() for path in select_pages(args.folders, args.split)]
    cleaner = Cleaner()
    with threadpool_limits(1):
        run_stages(documents, cleaner, args.batch)  # warm-up: caches, lazy tables
        spent = run_stages(documents, cleaner, args.batch)
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(run_stages, documents, cleaner, args.batch)
    total = sum(spent.values())
    print(f"{len(documents)} pages, batches of {args.batch}: {len(documents) / total:.1f} pages/s\n")
    print("| stage | ms per page | share |\n|---|---:|---:|")
    for stage, seconds in spent.items():
        print(f"| {stage} | {1000 * seconds / len(documents):.2f} | {seconds / total:.0%} |")
    if args.profile:
        print()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
