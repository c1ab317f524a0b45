"""Labelled data: our pages' data-label marks, and labels aligned with ground truth."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import html as lxml_html
from support import TRAINING_PAGES

from cleaner.blocks import segment_text
from cleaner.corpus import align_labels, interleave, read_labelled_page, select_pages
from cleaner.errors import TrainingDataError

PROMO_KINDS = set(
    "whatsapp telegram newsletter app follow podcast donate subscribe read-more related affiliate "
    "comments events alerts sponsored membership tips contest survey".split()
)
ALL_PAGES = sorted(TRAINING_PAGES.glob("*.html"))


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: p.stem)
def test_every_training_page_is_fully_labelled(path: Path):
    page = read_labelled_page(path)
    counts = Counter(page.labels)
    assert counts["content"] >= 2, "an article needs content"
    assert counts["boilerplate"] >= 3, "a page needs a frame"
    assert counts["promo"] >= 1, "every page carries promos"
    assert page.language and page.layout
    root = lxml_html.parse(str(path)).getroot()
    for element in root.iter():
        if element.get("data-label") == "promo":
            assert element.get("data-kind") in PROMO_KINDS, f"promo without a known kind in {path.name}"


def test_corpus_inventory_meets_its_floor():
    pages = [read_labelled_page(p) for p in ALL_PAGES]
    kinds = {
        element.get("data-kind")
        for path in ALL_PAGES
        for element in lxml_html.parse(str(path)).getroot().iter()
        if element.get("data-label") == "promo"
    }
    languages = Counter(p.language for p in pages)
    # The corpus issue's floor: 150 pages, 30 layouts, 15 kinds, five languages besides English.
    assert len(pages) >= 150
    assert len({p.layout for p in pages}) >= 30
    assert len(kinds) >= 15
    assert len([language for language in languages if language != "en"]) >= 5


def test_readme_inventory_counts_the_pages_as_they_are():
    pages = [read_labelled_page(p) for p in ALL_PAGES]
    labels = Counter(label for page in pages for label in page.labels)
    summary = (
        f"{len(pages)} pages, {len({p.layout for p in pages})} site layouts, "
        f"{len({p.language for p in pages})} languages; blocks: boilerplate {labels['boilerplate']}, "
        f"content {labels['content']}, promo {labels['promo']}."
    )
    assert summary in (TRAINING_PAGES.parent / "README.md").read_text(encoding="utf-8")


def test_training_data_has_multi_paragraph_promo_runs_and_hard_negatives():
    runs = negatives = 0
    for path in ALL_PAGES:
        page = read_labelled_page(path)
        longest = current = 0
        for label in page.labels:
            current = current + 1 if label == "promo" else 0
            longest = max(longest, current)
        runs += longest >= 3
        negatives += any(
            label == "content"
            and any(w in block.text.lower() for w in ("whatsapp", "newsletter", "telegram", "podcast"))
            for block, label in zip(page.blocks, page.labels)
        )
    assert runs >= 10
    assert negatives >= 10


def test_unlabelled_block_is_an_error(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_text("<html><body><p data-label='content'>ok</p><p>no label here</p></body></html>")
    with pytest.raises(TrainingDataError, match="no label here"):
        read_labelled_page(path)


def test_unknown_label_is_an_error(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_text("<html><body data-label='boilerplate'><p data-label='advert'>x</p></body></html>")
    with pytest.raises(TrainingDataError, match="advert"):
        read_labelled_page(path)


def test_alignment_labels_blocks_by_truth_trigrams_lines_and_snippets():
    truth = ["The council approved the budget on Tuesday after a long debate.", "Funding for schools"]
    blocks = segment_text(
        "\n".join(
            [
                "The council approved the budget on Tuesday after a long debate.",  # content
                "Funding for schools",  # a whole truth line
                "Sign up for our newsletter to get council news every day.",  # promo cue
                "Home",  # boilerplate
                "the budget on Tuesday",  # short part of content, but a snippet
            ]
        )
    )
    labels = align_labels(blocks, truth, without=["the budget on Tuesday"])
    assert labels == ["content", "content", "promo", "boilerplate", "content"]
    labels = align_labels(blocks, truth, without=["Home"])
    assert labels[3] == "boilerplate"


def test_alignment_marks_snippet_blocks_not_content_when_the_truth_lacks_them():
    truth = ["Some article text that is long enough to count here."]
    blocks = segment_text("Advertisement - Continue Reading Below")
    assert align_labels(blocks, truth, without=["Advertisement - Continue Reading Below"]) == ["boilerplate"]


def test_read_more_lines_are_promos_even_when_the_truth_keeps_them():
    line = "[Read: Why the bridge took two years to repair]"
    truth = [line, "The council approved the budget on Tuesday after a long debate."]
    assert align_labels(segment_text(line), truth) == ["promo"]


def test_interleave_spreads_inserts_between_paragraphs():
    merged = interleave(["a", "b", "c", "d"], ["X", "Y"])
    assert [text for text, _ in merged] == ["a", "X", "b", "c", "Y", "d"]
    assert [flag for _, flag in merged] == [True, False, True, True, False, True]


def test_select_pages_keeps_only_the_requested_split(tmp_path: Path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.html").write_text("<p>x</p>")
        (tmp_path / f"{name}.truth.txt").write_text("x\n")
    (tmp_path / "index.json").write_text('{"a": {"wcxb_split": "dev"}, "b": {"wcxb_split": "test"}}')
    assert [p.stem for p in select_pages([tmp_path], "test")] == ["b"]
    assert [p.stem for p in select_pages([tmp_path])] == ["a", "b"]
