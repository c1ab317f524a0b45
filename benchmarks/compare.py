"""Quality and speed of cleaner and the peer extractors on pages in the realpages layout.

    python benchmarks/compare.py ../shared/realpages/wcxb --split test

Peers are measured when installed (trafilatura; more to come with issue 4's `bench` extra).
Each system runs in-process over the same pages; pages per second is wall time on one core,
after one warm-up page. Scores use the metrics of `cleaner evaluate`.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable
from pathlib import Path

from cleaner import Cleaner
from cleaner.corpus import read_truth_pages, select_pages
from cleaner.evaluate import score_page, summarize


def cleaner_extractor() -> Callable[[bytes], str]:
    cleaner = Cleaner()
    return lambda data: cleaner.clean(data, "html").text


def trafilatura_extractor() -> Callable[[bytes], str] | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return lambda data: trafilatura.extract(data.decode("utf-8", "replace")) or ""


SYSTEMS = {"cleaner": cleaner_extractor, "trafilatura": trafilatura_extractor}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--split", help="only pages of this split (e.g. test)")
    args = parser.parse_args()
    pages = read_truth_pages(select_pages(args.folders, args.split))
    documents = [page.html_path.read_bytes() for page in pages]
    print(f"{len(pages)} pages")
    print(f"| system | precision | recall | F1 | promo leak | pages/s |\n|---|---:|---:|---:|---:|---:|")
    for name, make in SYSTEMS.items():
        extract = make()
        if extract is None:
            continue
        extract(documents[0])
        start = time.perf_counter()
        outputs = [extract(data) for data in documents]
        elapsed = time.perf_counter() - start
        scores = [score_page(p.name, out, "\n".join(p.truth), p.without) for p, out in zip(pages, outputs)]
        s = summarize(scores)
        print(f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.promo_leak:.1%} | {len(pages) / elapsed:.0f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
