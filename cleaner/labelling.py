"""Export pages in the labelled-data format, with the model's labels for a person to correct."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from cleaner.api import CleanedBlock, Cleaner
from cleaner.blocks import SegmentedPage, parse_html, segment_html
from cleaner.decode import decode_bytes

LABEL_ATTRIBUTES = ("data-label", "data-probability", "data-check")


@dataclass(slots=True)
class ExportedPage:
    """A page with every block marked with the model's label, as HTML, and its decisions."""

    html: str
    blocks: list[CleanedBlock]


def mark_blocks(page: SegmentedPage, blocks: list[CleanedBlock], flagged: Collection[int] = ()) -> None:
    """Write each block's label (and content probability) into the tree, where its first text is.

    A block whose element holds only blocks of the same label gets the attributes on that
    element; text that shares its element with differently labelled blocks (text between
    `<br>`s) gets them on a `<span>` wrapped around its first piece. Blocks in `flagged` also
    get `data-check="uncertain"`.
    """
    for element in page.root.iter():
        if isinstance(element.tag, str):
            for name in LABEL_ATTRIBUTES:
                element.attrib.pop(name, None)
    labels_of: dict[etree._Element, set[str]] = {}
    for element, block in zip(page.elements, blocks):
        labels_of.setdefault(element, set()).add(block.label)
    for index, (element, pieces, block) in enumerate(zip(page.elements, page.pieces, blocks)):
        first, is_tail = pieces[0]
        if len(labels_of[element]) == 1 and not is_tail and first is element:
            target = element
        elif not is_tail and first is not element:
            target = first  # an inline element that opens the block
        else:
            target = _wrap_first_text(element, first, is_tail)
        target.set("data-label", block.label)
        target.set("data-probability", f"{block.content_probability:.3f}")
        if index in flagged:
            target.set("data-check", "uncertain")


def _wrap_first_text(owner: etree._Element, node: etree._Element, is_tail: bool) -> etree._Element:
    """Move a text slot (node.text or node.tail) into a new <span> at the same place."""
    span = etree.Element("span")
    if is_tail:
        span.text, node.tail = node.tail, None
        node.addnext(span)
    else:
        span.text, node.text = node.text, None
        node.insert(0, span)
    return span


def classify_page(document: bytes | str, cleaner: Cleaner) -> tuple[SegmentedPage, list[CleanedBlock]]:
    """Parse and segment a page once, and the model's decision for each block."""
    text = decode_bytes(document) if isinstance(document, bytes) else document
    page = segment_html(parse_html(text))
    return page, cleaner.classify(page.blocks, "html")


def render_labelled(page: SegmentedPage, blocks: list[CleanedBlock], flagged: Collection[int] = ()) -> str:
    """The page as HTML in the training format, with every block's label written in."""
    mark_blocks(page, blocks, flagged)
    return lxml_html.tostring(page.root, encoding="unicode", doctype="<!DOCTYPE html>")


def export_page(document: bytes | str, cleaner: Cleaner, flagged: Collection[int] = ()) -> ExportedPage:
    """The page with the model's label on every block, ready to correct and train on."""
    page, blocks = classify_page(document, cleaner)
    return ExportedPage(render_labelled(page, blocks, flagged), blocks)


def uncertainty(block: CleanedBlock, threshold: float) -> float:
    """How close a block's content probability is to the keep threshold (0 = a coin toss)."""
    return abs(block.content_probability - threshold)
