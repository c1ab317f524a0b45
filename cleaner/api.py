"""The Python API: `Cleaner().clean(document)` returns the article without boilerplate and promos."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import lxml_html_clean
from lxml import etree
from lxml import html as lxml_html

from cleaner.blocks import Block, SegmentedPage, parse_html, segment_html, segment_text
from cleaner.decode import check_text, decode_bytes
from cleaner.errors import CleanerError, InputError
from cleaner.model import LABELS
from cleaner.storage import CleanerModel, bundled_model, load_model

INPUT_FORMATS = ("auto", "html", "text")
# Largest document cleaned by default. Real pages are well under 5 MB; time and memory grow with
# size: 19 MB pages took 14 s and 1.1 GB (190,000 paragraphs), 6 s and 1.3 GB (2.4 million tiny
# elements), 3 s and 0.6 GB (one text node) with `cleaner clean` (2026-11-28).
DEFAULT_MAX_BYTES = 20_000_000
_GZIP_MAGIC = b"\x1f\x8b"
# Documents cleaned together: the classifier's fixed costs per call are shared by the batch.
# `cleaner clean -j 1` over 1,175 WCXB pages (2026-11-28): one at a time 31.7 s and 244 MB peak,
# batches of 4: 29.2 s, 259 MB; of 8: 28.0 s, 280 MB; of 16: 28.3 s, 310 MB.
BATCH_SIZE = 8
# Default content probability a block needs to be kept. Chosen on out-of-fold predictions of a
# 5-fold cross-validation grouped by page over the training pages (178 of ours, 2026-11-28): on
# the WCXB dev pages F1 is 0.944 at 0.5 and 0.940 at 0.7 while promo leak falls from 5.8 % to
# 4.0 %; at 0.8 F1 drops to 0.931 and recall on Readability's English pages from 0.942 (0.5) to
# 0.906. Plain text at 0.7: truth recall 0.977, leak 17.0 % (at 0.5: 0.985, 26.3 %).
DEFAULT_THRESHOLD = 0.7
_MARKUP = re.compile(r"<(?:!--|(?:!doctype|html|head|body|p|div|br|span|a|h[1-6]|table|ul|li|article|section)\b)", re.I)


class CleanerConfig(NamedTuple):
    """Every option of a cleaning run, shared by the API and the CLI.

    Attributes:
        threshold: keep a block when its content probability is at least this (0..1); higher
            keeps less and keeps it cleaner.
        input_format: "html", "text" (one paragraph per line, or blank-line separated), or
            "auto": HTML when the document has markup, else text.
        safe_html: pass the cleaned HTML through a sanitizer that drops scripts, event
            handlers, `javascript:` URLs, iframes, embeds and frames (False: keep them).
        max_bytes: refuse documents larger than this (bytes, or characters for str input;
            gzip-compressed input counts decompressed).
    """

    threshold: float = DEFAULT_THRESHOLD
    input_format: str = "auto"
    safe_html: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(slots=True)
class CleanedBlock:
    """A block with the model's decision: kept or not, its label (content when kept, else the
    likelier of promo and boilerplate), that label's probability and the content probability."""

    text: str
    tag: str
    label: str
    probability: float
    content_probability: float
    kept: bool

    def to_dict(self) -> dict[str, Any]:
        """The block as a JSON-ready dict."""
        return {
            "text": self.text,
            "tag": self.tag,
            "label": self.label,
            "probability": round(self.probability, 4),
            "content_probability": round(self.content_probability, 4),
            "kept": self.kept,
        }


class CleanResult:
    """What cleaning one document gives: the kept text, every block, and the cleaned HTML."""

    def __init__(
        self, blocks: list[CleanedBlock], input_format: str, page: SegmentedPage | None = None, safe_html: bool = True
    ):
        self.blocks = blocks
        self.input_format = input_format
        self._page = page
        self._safe_html = safe_html
        self._html: str | None = None

    @property
    def text(self) -> str:
        """The kept blocks, one per line."""
        return "\n".join(b.text for b in self.blocks if b.kept)

    @property
    def html(self) -> str:
        """The document with the removed blocks cut out (for text input, the kept paragraphs as
        <p>), sanitized unless the config says safe_html=False."""
        if self._html is None:
            self._html = self._render_html()
        return self._html

    @property
    def markdown(self) -> str:
        """The kept blocks as Markdown: headings, list items, quotes and code keep their kind."""
        lines: list[str] = []
        previous = ""
        for block in self.blocks:
            if not block.kept:
                continue
            line = _markdown_line(block)
            if lines and not (block.tag == "li" and previous == "li"):
                lines.append("")
            lines.append(line)
            previous = block.tag
        return "\n".join(lines) + ("\n" if lines else "")

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready dict: the kept text and every block with its decision."""
        return {
            "input_format": self.input_format,
            "text": self.text,
            "blocks": [b.to_dict() for b in self.blocks],
        }

    def _render_html(self) -> str:
        if self._page is None:
            body = "".join(f"<p>{_escape(b.text)}</p>\n" for b in self.blocks if b.kept)
            return f"<!DOCTYPE html>\n<html><body>\n{body}</body></html>\n"
        cut_dropped_blocks(self._page, [b.kept for b in self.blocks])
        html = lxml_html.tostring(self._page.root, encoding="unicode", doctype="<!DOCTYPE html>")
        if self._safe_html:
            html = "<!DOCTYPE html>\n" + _SANITIZER.clean_html(html)
        return html


# What the sanitizer of --format html removes: scripts, event handlers and javascript: URLs
# (with stylesheets, which can carry script), comments, processing instructions, embedded
# objects, iframes and frames. Forms stay: some sites wrap the whole article in one.
_SANITIZER = lxml_html_clean.Cleaner(
    scripts=True,
    javascript=True,
    comments=True,
    style=False,
    links=False,
    meta=False,
    page_structure=False,
    processing_instructions=True,
    embedded=True,
    frames=True,
    forms=False,
    annoying_tags=False,
    remove_unknown_tags=False,
    safe_attrs_only=False,
)
_MARKDOWN_LEADER = re.compile(r"^(#|>|[-+*]\s|\d+[.)]\s)")


def _markdown_line(block: CleanedBlock) -> str:
    text = _MARKDOWN_LEADER.sub(r"\\\1", block.text)
    if block.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return f"{'#' * int(block.tag[1])} {text}"
    if block.tag == "li":
        return f"- {text}"
    if block.tag == "blockquote":
        return f"> {text}"
    if block.tag == "pre":
        return f"```\n{block.text}\n```"
    return text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip data (a page saved compressed), stopping past `limit` bytes.

    Raises:
        InputError: corrupt data, or more than `limit` bytes decompressed.
    """
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        output = decompressor.decompress(data, limit + 1)
    except zlib.error as error:
        raise InputError(f"corrupt gzip data ({error})") from None
    if len(output) > limit:
        raise InputError(f"too large: more than {limit / 1e6:g} MB once decompressed (--max-size)")
    return output


def cut_dropped_blocks(page: SegmentedPage, kept: list[bool]) -> None:
    """Remove the text of dropped blocks from the tree, and every element left holding only that."""
    keep_marks: set[etree._Element] = set()
    for pieces, is_kept in zip(page.pieces, kept):
        if is_kept:
            for element, is_tail in pieces:
                holder = element.getparent() if is_tail else element
                while holder is not None and holder not in keep_marks:
                    keep_marks.add(holder)
                    holder = holder.getparent()
    doomed: list[etree._Element] = []
    for pieces, is_kept in zip(page.pieces, kept):
        if is_kept:
            continue
        for element, is_tail in pieces:
            if is_tail:
                element.tail = None
            else:
                element.text = None
            holder = element.getparent() if is_tail else element
            highest = None
            while holder is not None and holder not in keep_marks and holder.tag not in ("body", "html"):
                highest = holder
                holder = holder.getparent()
            if highest is not None:
                doomed.append(highest)
    for element in doomed:
        if element.getparent() is not None:
            drop_tree(element)


def drop_tree(element: etree._Element) -> None:
    """Remove an element and everything inside it, keeping the text that follows it."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


class Cleaner:
    """Removes boilerplate and promos from web pages and plain text.

    Args:
        model: a model file made by `cleaner train`, a loaded CleanerModel, or None for the
            bundled model (loaded once per process).
        config: options; keyword arguments override single fields of it.

    Raises:
        ModelError: the model file cannot be loaded.

    >>> from cleaner import Cleaner
    >>> page = "<p>The council approved the new budget on Tuesday after a long debate about schools.</p>"
    >>> Cleaner().clean(page).text
    'The council approved the new budget on Tuesday after a long debate about schools.'
    """

    def __init__(
        self, model: str | Path | CleanerModel | None = None, config: CleanerConfig | None = None, **options: Any
    ):
        config = config or CleanerConfig()
        self.config = config._replace(**options)
        if self.config.input_format not in INPUT_FORMATS:
            raise ValueError(f"input_format must be one of {INPUT_FORMATS}, not {self.config.input_format!r}")
        if not 0.0 <= self.config.threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {self.config.threshold}")
        if model is None:
            self.model = bundled_model()
        elif isinstance(model, CleanerModel):
            self.model = model
        else:
            self.model = load_model(model)

    def clean(self, document: str | bytes, input_format: str | None = None) -> CleanResult:
        """Clean one HTML page or plain-text document.

        Args:
            document: the page as text or bytes (bytes are decoded by the declared charset,
                else UTF-8, else a detector).
            input_format: overrides the config's "auto", "html" or "text".

        Returns:
            A CleanResult: `.text` (kept blocks, one per line), `.html`, `.blocks`.

        Raises:
            InputError: empty, binary, undecodable or (for "html") markup-free input.
        """
        chosen, blocks, page = self._segment(document, input_format)
        return CleanResult(self.classify(blocks, chosen), chosen, page, self.config.safe_html)

    def clean_many(
        self, documents: Iterable[str | bytes], input_format: str | None = None
    ) -> list[CleanResult | CleanerError]:
        """Clean several documents at once: the same results as `clean` on each, faster, since
        the classifier runs once over all of them.

        Returns:
            For each document in order, its CleanResult, or the CleanerError (such as
            InputError) that `clean` would have raised for it.
        """
        results: list[CleanResult | CleanerError | None] = []
        segmented: dict[str, list[tuple[int, list[Block], SegmentedPage | None]]] = {"html": [], "text": []}
        for document in documents:
            try:
                chosen, blocks, page = self._segment(document, input_format)
            except CleanerError as error:
                results.append(error)
                continue
            segmented[chosen].append((len(results), blocks, page))
            results.append(None)
        for chosen, pages in segmented.items():
            decisions = self.classify([block for _, blocks, _ in pages for block in blocks], chosen)
            start = 0
            for number, blocks, page in pages:
                results[number] = CleanResult(
                    decisions[start : start + len(blocks)], chosen, page, self.config.safe_html
                )
                start += len(blocks)
        return [result for result in results if result is not None]

    def clean_stream(
        self,
        records: Iterable[dict[str, Any]],
        html_field: str = "html",
        text_field: str = "text",
        error_field: str = "error",
        keep_html: bool = True,
        batch_size: int = BATCH_SIZE,
    ) -> Iterator[dict[str, Any]]:
        """Clean a stream of records (dicts) lazily, in order, in constant memory.

        Each record comes out as a copy with `text_field` set to the cleaned text of its
        `html_field` (str or bytes; "auto" input format unless configured), or with
        `error_field` set to why it could not be cleaned. A record that already holds
        `error_field` and no document passes through as it is. With keep_html=False the
        document itself is left out of the output record.

        >>> records = [{"id": 1, "html": "<p>The council approved the new budget on Tuesday after a long debate.</p>"}]
        >>> next(Cleaner().clean_stream(records))["text"]
        'The council approved the new budget on Tuesday after a long debate.'
        """
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) == batch_size:
                yield from self._clean_records(batch, html_field, text_field, error_field, keep_html)
                batch = []
        if batch:
            yield from self._clean_records(batch, html_field, text_field, error_field, keep_html)

    def _clean_records(
        self, records: list[dict[str, Any]], html_field: str, text_field: str, error_field: str, keep_html: bool
    ) -> list[dict[str, Any]]:
        usable = [(i, r[html_field]) for i, r in enumerate(records) if isinstance(r.get(html_field), (str, bytes))]
        results = dict(zip([i for i, _ in usable], self.clean_many([document for _, document in usable])))
        cleaned = []
        for number, record in enumerate(records):
            output = dict(record)
            if not keep_html:
                output.pop(html_field, None)
            result = results.get(number)
            if isinstance(result, CleanResult):
                output[text_field] = result.text
            elif result is not None:
                output[error_field] = str(result)
            elif error_field not in record:
                output[error_field] = f"no {html_field!r} field holding a document"
            cleaned.append(output)
        return cleaned

    def _segment(
        self, document: str | bytes, input_format: str | None
    ) -> tuple[str, list[Block], SegmentedPage | None]:
        """Decode and check a document, settle its format, and cut it into blocks."""
        limit = self.config.max_bytes
        if isinstance(document, bytes):
            if document.startswith(_GZIP_MAGIC):
                document = gunzip(document, limit)
            if len(document) > limit:
                raise InputError(
                    f"too large: {len(document) / 1e6:.1f} MB, the limit is {limit / 1e6:g} MB (--max-size)"
                )
            text = decode_bytes(document)  # checks the decoded text too
        else:
            if len(document) > limit:
                raise InputError(f"too large: {len(document) / 1e6:.1f} M characters, the limit is {limit / 1e6:g} M")
            text = document
            check_text(text)
        chosen = input_format or self.config.input_format
        if chosen == "auto":
            chosen = "html" if _MARKUP.search(text[:65536]) else "text"
        if chosen == "html":
            page = segment_html(parse_html(text))
            return chosen, page.blocks, page
        if chosen == "text":
            return chosen, segment_text(text), None
        raise ValueError(f"input_format must be one of {INPUT_FORMATS}, not {chosen!r}")

    def classify(self, blocks: list[Block], input_format: str) -> list[CleanedBlock]:
        """The decision for each block of one page ("html") or plain-text document ("text")."""
        if not blocks:
            return []
        classifier = self.model.html if input_format == "html" else self.model.text
        proba = classifier.predict_proba(blocks)
        content = LABELS.index("content")
        dropped_labels = [i for i, label in enumerate(LABELS) if i != content]
        cleaned = []
        for block, row in zip(blocks, proba):
            kept = bool(row[content] >= self.config.threshold)
            # The label follows the decision: content when kept, else the likelier of the others.
            label = content if kept else max(dropped_labels, key=lambda i: row[i])
            cleaned.append(
                CleanedBlock(
                    text=block.text,
                    tag=block.tag,
                    label=LABELS[label],
                    probability=float(row[label]),
                    content_probability=float(row[content]),
                    kept=kept,
                )
            )
        return cleaned
