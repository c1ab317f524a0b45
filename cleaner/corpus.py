"""Labelled pages for training and evaluation: our own labelled HTML, and pages with known text."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from cleaner.blocks import Block, parse_html, segment_html, segment_text
from cleaner.decode import decode_bytes
from cleaner.errors import CleanerError, TrainingDataError
from cleaner.model import LABELS

# A block of three or more tokens is content when at least this share of its word trigrams
# occurs in the ground truth. Perfect labels made this way score F1 0.989 on WCXB test
# (FINDINGS.md); 0.5 splits blocks that are half quoted from the article (teasers) the right way.
TRIGRAM_MATCH_SHARE = 0.5
# A line that points the reader to another story ("Read more: ...", "[Read: ...]", "Related:")
# is a promo by our labels even where a ground truth keeps it: Readability's expected output,
# an algorithm's, often does.
READ_MORE_LINE = re.compile(
    r"^\W{0,3}(?:read|read more|read next|related|see also|also read|more on this|more|watch|listen|"
    r"lee también|lire aussi|leia também|leggi anche|mehr zum thema|lees ook)\b[^:]{0,20}:",
    re.I,
)
# Blocks that are not content but read like a call to action are labelled promo, the rest
# boilerplate. Ground truth only says "not in the article", so this split is a heuristic.
PROMO_CUE = re.compile(
    r"newsletter|subscri|sign[ -]?up|follow (?:us|me|him|her|them)|podcast|download|app store|"
    r"google play|donat|support (?:us|our)|member|join |whatsapp|telegram|read more|read next|"
    r"related|also read|see also|you (?:may|might) also|recommended|commission|affiliate|"
    r"sponsored|alerts|notification|tickets|comment",
    re.I,
)
# Snippets shorter than this are too common ("Share", "Read more") to tell whether the output
# kept them or the article happens to use the same words.
MIN_SNIPPET_TOKENS = 4
_TOKEN = re.compile(r"\w+")


@dataclass(slots=True)
class LabelledPage:
    """A page's blocks with one label each, and where the page came from."""

    name: str
    blocks: list[Block]
    labels: list[str]
    language: str = ""
    layout: str = ""


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, as the metrics and the alignment count them."""
    return _TOKEN.findall(text.lower())


def contains_run(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """True when the token list `needle` occurs as a contiguous run in `haystack`."""
    return f" {' '.join(needle)} " in f" {' '.join(haystack)} "


def counted_snippets(truth: str, without: Iterable[str]) -> list[str]:
    """The must-drop snippets that promo leak counts: 4 or more tokens, not in the truth."""
    truth_tokens = tokens(truth)
    return [s for s in without if len(tokens(s)) >= MIN_SNIPPET_TOKENS and not contains_run(truth_tokens, tokens(s))]


def non_content_label(text: str) -> str:
    """promo when the text reads like a call to action, else boilerplate."""
    return "promo" if PROMO_CUE.search(text) or READ_MORE_LINE.match(text) else "boilerplate"


def block_label(pieces: Sequence[tuple[etree._Element, bool]]) -> str | None:
    """The data-label of the nearest labelled element around a block's first text."""
    element, is_tail = pieces[0]
    node = element.getparent() if is_tail else element
    while node is not None and node.get("data-label") is None:
        node = node.getparent()
    return node.get("data-label") if node is not None else None


def read_labelled_page(path: Path) -> LabelledPage:
    """Read one of our labelled pages: each block takes the data-label nearest its first text.

    Raises:
        TrainingDataError: a block has no label or an unknown one.
    """
    root = parse_html(decode_bytes(path.read_bytes()))
    page = segment_html(root)
    labels = []
    for block, pieces in zip(page.blocks, page.pieces):
        label = block_label(pieces)
        if label not in LABELS:
            raise TrainingDataError(f"{path}: block {block.text[:50]!r} has label {label!r}; expected one of {LABELS}")
        labels.append(label)
    layout = root.xpath('string(//meta[@name="cleaner:layout"]/@content)')
    language = root.get("lang", "").split("-")[0].lower()
    return LabelledPage(path.stem, page.blocks, labels, language=language, layout=layout)


def truth_lines(truth_path: Path) -> list[str]:
    """The lines of a ground-truth file, stripped, without empty ones."""
    return [line.strip() for line in truth_path.read_text(encoding="utf-8").splitlines() if line.strip()]


def align_labels(blocks: Sequence[Block], truth: Sequence[str], without: Sequence[str] = ()) -> list[str]:
    """Label blocks by the ground-truth text they match (the alignment is in training_data/README.md)."""
    line_tokens = [tuple(tokens(line)) for line in truth]
    whole_lines = set(line_tokens)
    trigrams = {t[i : i + 3] for t in line_tokens for i in range(len(t) - 2)}
    short_lines = {t for t in line_tokens if len(t) <= 6}
    truth_string = " " + " ".join(" ".join(t) for t in line_tokens) + " "
    snippets = []
    for snippet in without:
        joined = " ".join(tokens(snippet))
        if joined and f" {joined} " not in truth_string:
            snippets.append(f" {joined} ")
    labels = []
    for block in blocks:
        words = tuple(tokens(block.text))
        joined = f" {' '.join(words)} "
        if not words or READ_MORE_LINE.match(block.text):
            content = False
        elif any(joined in snippet or (snippet in joined and 2 * len(snippet) >= len(joined)) for snippet in snippets):
            content = False
        elif len(words) >= 3:
            grams = [words[i : i + 3] for i in range(len(words) - 2)]
            content = sum(g in trigrams for g in grams) >= TRIGRAM_MATCH_SHARE * len(grams)
        else:
            content = words in whole_lines or any(joined in f" {' '.join(t)} " for t in short_lines)
        if content:
            labels.append("content")
        else:
            labels.append(non_content_label(block.text))
    return labels


def read_truth_page(html_path: Path) -> LabelledPage:
    """Read a page with known article text (`<id>.truth.txt`, optional `<id>.without.txt`)."""
    truth = read_truth_pages([html_path])[0]
    page = segment_html(parse_html(decode_bytes(html_path.read_bytes())))
    return LabelledPage(truth.name, page.blocks, align_labels(page.blocks, truth.truth, truth.without))


def page_split(html_path: Path) -> str | None:
    """The split (`dev`, `test`) that the folder's index.json gives the page, if any."""
    index = _read_index(html_path.parent)
    entry = index.get(html_path.stem, {})
    return entry.get("wcxb_split") if isinstance(entry, dict) else None


@functools.lru_cache(maxsize=64)
def _read_index(folder: Path) -> dict:
    """A folder's index.json, read once; empty when there is none."""
    try:
        return json.loads((folder / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def html_files(paths: Iterable[Path]) -> list[Path]:
    """HTML files named directly or found (recursively, sorted) in the folders given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.htm*") if p.is_file()))
        elif path.exists():
            found.append(path)
        else:
            raise TrainingDataError(f"{path}: no such file or folder")
    return found


def select_pages(paths: Iterable[Path], split: str | None = None) -> list[Path]:
    """HTML files of labelled or ground-truth pages, keeping only `split` where index.json gives one."""
    selected = []
    for path in html_files(paths):
        page_set = page_split(path) if is_truth_page(path) else None
        if split is None or page_set is None or page_set == split:
            selected.append(path)
    return selected


def is_truth_page(html_path: Path) -> bool:
    """True when the page has ground-truth text (`<id>.truth.txt`) beside it."""
    return html_path.with_suffix(".truth.txt").exists()


def read_page(path: Path) -> LabelledPage:
    """A labelled page: aligned with its ground truth if it has one, else from its data-label marks.

    Raises:
        TrainingDataError: the page cannot be read or is not labelled right.
    """
    try:
        return read_truth_page(path) if is_truth_page(path) else read_labelled_page(path)
    except TrainingDataError:
        raise
    except (CleanerError, OSError) as error:
        raise TrainingDataError(f"{path}: {error}") from None


def interleave(paragraphs: Sequence[str], inserts: Sequence[str]) -> list[tuple[str, bool]]:
    """Paragraphs with the inserts spread evenly between them; True marks a paragraph."""
    merged: list[tuple[str, bool]] = [(p, True) for p in paragraphs]
    for number, insert in enumerate(inserts):
        position = round((number + 1) * len(paragraphs) / (len(inserts) + 1))
        merged.insert(min(len(merged), position + number), (insert, False))
    return merged


@dataclass(slots=True)
class TruthPage:
    """A page with known article text, in the realpages layout."""

    name: str
    html_path: Path
    truth: list[str]
    without: list[str]

    def as_text_document(self) -> LabelledPage:
        """Plain text: the truth lines with the counted snippets spread between them, labelled."""
        merged = interleave(self.truth, counted_snippets("\n".join(self.truth), self.without))
        labels = ["content" if is_truth else non_content_label(text) for text, is_truth in merged]
        return LabelledPage(self.name, segment_text("\n".join(text for text, _ in merged)), labels)


def read_truth_pages(html_paths: Iterable[Path]) -> list[TruthPage]:
    """Truth pages for the HTML files that have a `<id>.truth.txt` beside them."""
    pages = []
    for path in html_paths:
        truth_path = path.with_suffix(".truth.txt")
        if not truth_path.exists():
            continue
        without_path = path.with_suffix(".without.txt")
        without = truth_lines(without_path) if without_path.exists() else []
        pages.append(TruthPage(f"{path.parent.name}/{path.stem}", path, truth_lines(truth_path), without))
    return pages


def flatten(pages: Sequence[LabelledPage]) -> tuple[list[Block], list[str]]:
    """All blocks of the pages in order, and their labels."""
    blocks = [b for page in pages for b in page.blocks]
    labels = [label for page in pages for label in page.labels]
    return blocks, labels
