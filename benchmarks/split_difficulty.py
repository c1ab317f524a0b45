"""How hard each part of WCXB is, for cleaner and for peers that were never trained on it.

    python benchmarks/split_difficulty.py ../shared/realpages/wcxb [--systems trafilatura,justext,cleaner]

Scores each system (as `compare.py` calls it, quality only, in this process) on three groups of
WCXB pages: the `dev` split, the `test` pages whose ids fall in the range of the dev ids, and
the `test` pages with ids above every dev id (a later batch of the benchmark, with no page in
dev). cleaner's bundled model is trained on the dev pages, so its dev row is left out: its
score there would be a training score; `cleaner evaluate --cv` gives the honest one. A system
that fails on a page gives empty output for it, as in `compare.py`.

A peer that learnt nothing from WCXB scores each group as it finds it, so its rows say how much
harder one group is than another for reasons that have nothing to do with cleaner's training.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from systems import SYSTEMS, Extractor  # noqa: E402

from cleaner.corpus import read_truth_pages  # noqa: E402
from cleaner.evaluate import score_page, summarize  # noqa: E402


def page_groups(wcxb: Path) -> dict[str, list[Path]]:
    """dev pages, and test pages inside and beyond the range of the dev ids."""
    index = json.loads((wcxb / "index.json").read_text())
    split = {name: entry.get("wcxb_split") for name, entry in index.items()}
    last_dev = max(int(name) for name, s in split.items() if s == "dev")
    test = sorted(name for name, s in split.items() if s == "test")
    return {
        "dev": [wcxb / f"{name}.html" for name, s in sorted(split.items()) if s == "dev"],
        f"test, ids up to {last_dev}": [wcxb / f"{name}.html" for name in test if int(name) <= last_dev],
        f"test, ids above {last_dev}": [wcxb / f"{name}.html" for name in test if int(name) > last_dev],
    }


def output(extract: Extractor, path: Path) -> str:
    """The system's text for the page; empty when it fails on it (as `compare.py` counts it)."""
    try:
        return extract(path.read_bytes())
    except Exception:  # noqa: BLE001 - a peer's failure on one page is part of its score
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wcxb", type=Path, help="the wcxb folder of realpages (with index.json)")
    parser.add_argument("--systems", default="trafilatura,justext,cleaner", help="comma-separated systems")
    args = parser.parse_args()
    groups = page_groups(args.wcxb)
    print("| system | pages | snippets | F1 | promo leak |")
    print("|---|---|---:|---:|---:|")
    for system in args.systems.split(","):
        try:
            extract = SYSTEMS[system]()
        except ImportError as error:
            print(f"{system}: not installed ({error.name})", file=sys.stderr)
            continue
        for group, paths in groups.items():
            if system == "cleaner" and group == "dev":
                continue  # trained on these pages
            pages = read_truth_pages(paths)
            scores = [score_page(p.name, output(extract, p.html_path), "\n".join(p.truth), p.without) for p in pages]
            summary = summarize(scores)
            print(
                f"| {system} | {group} ({summary.pages}) | {summary.snippets} | {summary.f1:.3f} "
                f"| {summary.promo_leak:.1%} ({sum(s.leaked for s in scores)}) |"
            )


if __name__ == "__main__":
    main()
