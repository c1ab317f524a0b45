"""How much the WCXB test scores move when only the training seed changes.

    python benchmarks/seed_spread.py ../shared/realpages [--seeds 0 1 2]

Trains the bundled model's recipe (training_data/ plus the `dev` pages of wcxb and all of
readability, as models/build.sh does) once per seed, and scores each model on the wcxb `test`
pages, as HTML and as plain text, at the default threshold. The seed drives the order in which
SGD visits the blocks and the validation split of the second stage's early stopping; nothing
else differs between the runs. A change to the data or the model is only worth what it moves
beyond this spread.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cleaner import Cleaner
from cleaner.corpus import select_pages
from cleaner.evaluate import evaluate_files, summarize
from cleaner.training import train_model

TRAINING_DATA = Path(__file__).resolve().parent.parent / "training_data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("realpages", type=Path, help="the realpages folder (with wcxb/ and readability/)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    test_pages = select_pages([args.realpages / "wcxb"], "test")
    print("| seed | HTML F1 | HTML promo leak | text recall | text promo leak |")
    print("|---:|---:|---:|---:|---:|")
    for seed in args.seeds:
        model = train_model(
            [TRAINING_DATA, args.realpages / "wcxb", args.realpages / "readability"], split="dev", random_state=seed
        )
        cleaner = Cleaner(model)
        html = summarize(evaluate_files(cleaner, test_pages, "html").scores)
        text = summarize(evaluate_files(cleaner, test_pages, "text").scores)
        print(
            f"| {seed} | {html.f1:.3f} | {html.promo_leak:.1%} | {text.recall:.3f} | {text.promo_leak:.1%} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
