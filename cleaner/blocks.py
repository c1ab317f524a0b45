"""Cut a page into its paragraph-level blocks, each with the markup context around it."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from lxml import etree

from cleaner.errors import InputError

# Elements whose start and end close the running paragraph: blocks live inside them.
BLOCK_TAGS = frozenset(
    """p h1 h2 h3 h4 h5 h6 li blockquote pre td th dd dt figcaption caption div section
    article main header footer nav aside ul ol dl table tr tbody thead tfoot form fieldset
    legend figure address center details summary body html hr menu dialog hgroup search
    noframes frameset frame""".split()
)
# Elements that never make blocks: code, styling, metadata and form widgets.
SKIPPED_TAGS = frozenset(
    "script style noscript template svg math head title iframe object embed select option "
    "textarea button canvas video audio map".split()
)
# How many ancestors above a block's own element describe its surroundings (parent,
# grandparent, great-grandparent); deeper levels added nothing in the first probe.
ANCESTOR_LEVELS = 3
# How many class/id-bearing ancestors contribute tokens; the outermost ones (body classes)
# are the same for every block of a page and only memorise sites.
MAX_ATTRIBUTE_ANCESTORS = 8
# A block counts as prose for finding the main text mass when it has this many characters
# and at most this share of them inside links.
PROSE_MIN_CHARS = 80
PROSE_MAX_LINK_DENSITY = 0.3

_SPACES = re.compile(r"\s+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOFRAMES_TAG = re.compile(r"</?noframes\b[^>]*>", re.I)
# C0 control characters XML refuses (all but tab, newline and carriage return): the vertical tab
# and the form feed separate words, so they become spaces; the others go.
_XML_SAFE = {code: None for code in [*range(0x00, 0x09), *range(0x0E, 0x20)]} | {0x0B: " ", 0x0C: " "}
_NOT_XML_CHARACTER = re.compile("[" + "".join(map(chr, sorted(_XML_SAFE))) + "]")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"[0-9]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(slots=True)
class Block:
    """One paragraph-level piece of a page with the markup context it sits in."""

    text: str
    tag: str = "p"
    tag_path: tuple[str, ...] = ()
    attribute_tokens: tuple[str, ...] = ()
    link_chars: int = 0
    depth: int = 0
    index: int = 0
    page_blocks: int = 1
    page_chars: int = 1
    ancestor_chars: tuple[int, ...] = (0,) * ANCESTOR_LEVELS
    ancestor_link_chars: tuple[int, ...] = (0,) * ANCESTOR_LEVELS
    in_main_text: bool = True
    main_text_share: float = 1.0

    @property
    def link_density(self) -> float:
        """Share of the block's characters that sit inside links."""
        return min(1.0, self.link_chars / max(1, len(self.text)))

    @property
    def relative_position(self) -> float:
        """Where the block stands in its page, from 0.0 (first) to 1.0 (last)."""
        return self.index / max(1, self.page_blocks - 1)


@dataclass(slots=True)
class _Container:
    """A block-level element while the page is walked, with the text that ends up inside it."""

    element: etree._Element
    tag: str
    tokens: tuple[str, ...]
    parent: _Container | None
    depth: int
    path: tuple[str, ...] = ()
    ancestors: tuple[_Container, ...] = ()
    holders_above: tuple[_Container, ...] = ()  # nearest ancestors with class/id tokens
    in_main_text: bool | None = None
    chars: int = 0
    link_chars: int = 0
    prose_chars: float = 0.0


@dataclass(slots=True)
class _RawBlock:
    container: _Container
    parts: list[str] = field(default_factory=list)
    pieces: list[tuple[etree._Element, bool]] = field(default_factory=list)
    link_chars: int = 0


@dataclass(slots=True)
class SegmentedPage:
    """A parsed page and its blocks; `pieces[i]` are the text slots (element, is_tail) of block i."""

    root: etree._Element
    blocks: list[Block]
    pieces: list[list[tuple[etree._Element, bool]]]
    elements: list[etree._Element]


def parse_html(text: str) -> etree._Element:
    """Parse HTML text into an lxml tree.

    Raises:
        InputError: the text holds no HTML elements.
    """
    if "<" not in text or not re.search(r"<[a-zA-Z!?/]", text):
        raise InputError("not HTML: no markup found (use --input-format text for plain text)")
    # Plain lxml elements: lxml.html's element classes cost a Python lookup per element.
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    # lxml refuses str input that declares an encoding; the text is decoded already.
    text = _XML_DECLARATION.sub("", text, count=1)
    # libxml2 keeps what is inside <noframes> as raw text, markup and all; without the tags the
    # fallback content of a frameset page is parsed like any other.
    text = _NOFRAMES_TAG.sub("", text)
    # libxml2 keeps C0 control characters in text, but lxml refuses to set such text on an
    # element, which the HTML sanitizer does when it drops a tag: a vertical tab between two
    # paragraphs made --format html fail. Tab, newline and carriage return are the ones XML allows.
    if _NOT_XML_CHARACTER.search(text):
        text = text.translate(_XML_SAFE)
    try:
        root = etree.fromstring(text, parser)
    except (etree.LxmlError, ValueError) as error:
        raise InputError(f"not HTML: {error}") from None
    if root is None:
        raise InputError("not HTML: the parser found no document")
    return root


def attribute_tokens(element: etree._Element) -> tuple[str, ...]:
    """Lower-cased class and id tokens of an element, whole and split at - _ and camelCase."""
    raw = f"{element.get('class') or ''} {element.get('id') or ''}"
    return _split_attributes(raw) if raw.strip() else ()


@functools.lru_cache(maxsize=8192)
def _split_attributes(raw: str) -> tuple[str, ...]:
    """Tokens of a class/id string; cached, since a page repeats the same few class strings."""
    tokens: list[str] = []
    for word in raw.split():
        if word.islower() and not _DIGITS.search(word):  # most class names: `title`, `post-title`
            tokens.append(word)
            parts = [p for p in _TOKEN_SPLIT.split(word) if p]
            if len(parts) > 1:
                tokens.extend(parts)
            continue
        parts = [p for p in _TOKEN_SPLIT.split(_CAMEL.sub("-", word).lower()) if p]
        kept = [p for p in parts if not _looks_generated(p)]
        if len(kept) == len(parts):
            tokens.append(word.lower())
        if len(kept) > 1 or len(kept) < len(parts):
            tokens.extend(kept)
    return tuple(tokens)


def _looks_generated(token: str) -> bool:
    """True for hashed CSS names like `1lp6l2f` or `e8j53i820`: they only name one site's build."""
    if len(token) < 5:
        return False
    digits = len(_DIGITS.findall(token))
    return 2 <= digits < len(token)


def segment_html(root: etree._Element) -> SegmentedPage:
    """Cut a parsed page into blocks in document order, walking the tree once."""
    raw_blocks: list[_RawBlock] = []
    body = root.find("body")
    start = body if body is not None else root
    top = _open_container(start, "body", None)
    current = _RawBlock(top)
    containers = [top]
    opened = [top]  # every container, parents before children
    in_link = 0

    def flush() -> None:
        nonlocal current
        if current.parts:
            raw_blocks.append(current)
            current = _RawBlock(containers[-1])
        else:
            current.container = containers[-1]

    def add_text(text: str | None, element: etree._Element, is_tail: bool) -> None:
        if text and text.isspace():
            if current.parts:
                current.parts.append(" ")  # keeps "Read more:</b> <a>" two words apart
        elif text:
            current.parts.append(text)
            current.pieces.append((element, is_tail))
            if in_link:
                current.link_chars += len(text)

    walker = etree.iterwalk(start, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if element is start:
            if event == "start":
                add_text(start.text, start, False)
            continue
        if event == "end":
            if tag == "a":
                in_link -= 1
            elif tag in BLOCK_TAGS:
                flush()
                containers.pop()
                current.container = containers[-1]
            elif tag == "br":
                flush()
            if element.tail:
                add_text(element.tail, element, True)
        elif not isinstance(tag, str) or tag in SKIPPED_TAGS:
            walker.skip_subtree()  # its end event still comes, and brings its tail
        elif tag == "br":
            walker.skip_subtree()
        else:
            if tag in BLOCK_TAGS:
                flush()
                container = _open_container(element, tag, containers[-1])
                containers.append(container)
                opened.append(container)
                current.container = container
            elif tag == "a":
                in_link += 1
            if element.text:
                add_text(element.text, element, False)
    flush()
    return _finish(root, raw_blocks, opened)


def _open_container(element: etree._Element, tag: str, parent: _Container | None) -> _Container:
    """A container for a block-level element, with what its blocks inherit from its ancestors."""
    tokens = attribute_tokens(element)
    if parent is None:
        container = _Container(element, tag, tokens, None, 0, (tag,))
    else:
        container = _Container(element, tag, tokens, parent, parent.depth + 1, (*parent.path[-3:], tag))
        container.ancestors = (parent, *parent.ancestors[: ANCESTOR_LEVELS - 1])
        # Never the container itself: a container that refers to itself is a reference cycle,
        # which keeps the page's whole tree alive until the garbage collector runs.
        if parent.tokens:
            container.holders_above = (parent, *parent.holders_above[: MAX_ATTRIBUTE_ANCESTORS - 1])
        else:
            container.holders_above = parent.holders_above
    return container


def _finish(root: etree._Element, raw_blocks: list[_RawBlock], opened: list[_Container]) -> SegmentedPage:
    """Turn raw text runs into Blocks with page-level context (ancestor text mass, main text);
    `opened` lists every container, parents before children."""
    texts: list[str] = []
    kept: list[_RawBlock] = []
    for raw in raw_blocks:
        text = _SPACES.sub(" ", "".join(raw.parts)).strip()
        if text:
            texts.append(text)
            kept.append(raw)
    page_chars = 0
    for text, raw in zip(texts, kept):
        chars = len(text)
        link_chars = min(raw.link_chars, chars)
        page_chars += chars
        raw.container.chars += chars
        raw.container.link_chars += link_chars
        if chars >= PROSE_MIN_CHARS and link_chars <= PROSE_MAX_LINK_DENSITY * chars:
            # Like Readability, prose credits the element holding the paragraph and, half as
            # much, the one above it: the article container collects the most.
            parent = raw.container.parent if raw.container.tag == "p" else raw.container
            if parent is not None:
                parent.prose_chars += chars
                if parent.parent is not None:
                    parent.parent.prose_chars += chars / 2
    for container in reversed(opened):  # children first: each adds its whole subtree's text
        if container.parent is not None:
            container.parent.chars += container.chars
            container.parent.link_chars += container.link_chars
    main = _main_text_container(kept)
    main_share = main.chars / max(1, page_chars) if main is not None else 0.0
    if main is not None:
        main.in_main_text = True
    tokens_of: dict[int, tuple[str, ...]] = {}
    blocks = []
    for index, (text, raw) in enumerate(zip(texts, kept)):
        container = raw.container
        # Containers without tokens of their own share their holders' tokens.
        key = id(container) if container.tokens else id(container.holders_above)
        tokens = tokens_of.get(key)
        if tokens is None:
            holders = container.holders_above
            if container.tokens:
                holders = (container, *holders[: MAX_ATTRIBUTE_ANCESTORS - 1])
            tokens = tokens_of[key] = _holder_tokens(holders)
        ancestor_chars, ancestor_links = _ancestor_text(container)
        blocks.append(
            Block(
                text=text,
                tag=container.tag,
                tag_path=container.path,
                attribute_tokens=tokens,
                link_chars=min(raw.link_chars, len(text)),
                depth=container.depth,
                index=index,
                page_blocks=len(texts),
                page_chars=max(1, page_chars),
                ancestor_chars=ancestor_chars,
                ancestor_link_chars=ancestor_links,
                in_main_text=_in_main_text(container),
                main_text_share=main_share,
            )
        )
    return SegmentedPage(
        root=root,
        blocks=blocks,
        pieces=[raw.pieces for raw in kept],
        elements=[raw.container.element for raw in kept],
    )


def _ancestor_text(container: _Container) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Characters and link characters inside the container's nearest ANCESTOR_LEVELS ancestors."""
    ancestors = container.ancestors
    if len(ancestors) == ANCESTOR_LEVELS:
        return tuple([c.chars for c in ancestors]), tuple([c.link_chars for c in ancestors])
    missing = [0] * (ANCESTOR_LEVELS - len(ancestors))
    return tuple([c.chars for c in ancestors] + missing), tuple([c.link_chars for c in ancestors] + missing)


def _in_main_text(container: _Container) -> bool:
    """True when the container is the main text container or inside it (answers are cached)."""
    path = []
    node: _Container | None = container
    while node is not None and node.in_main_text is None:
        path.append(node)
        node = node.parent
    answer = node is not None and bool(node.in_main_text)
    for visited in path:
        visited.in_main_text = answer
    return answer


def _holder_tokens(holders: tuple[_Container, ...]) -> tuple[str, ...]:
    """The class/id tokens of the containers, innermost first, each once."""
    tokens: list[str] = []
    for holder in holders:
        tokens.extend(holder.tokens)
    return tuple(dict.fromkeys(tokens))


def _main_text_container(raw_blocks: list[_RawBlock]) -> _Container | None:
    best: _Container | None = None
    seen: set[int] = set()
    for raw in raw_blocks:
        container: _Container | None = raw.container
        while container is not None and id(container) not in seen:
            seen.add(id(container))
            if container.prose_chars > 0 and (best is None or container.prose_chars > best.prose_chars):
                best = container
            container = container.parent
    return best


def segment_text(text: str) -> list[Block]:
    """Cut plain text into blocks: one per line, or per paragraph when blank lines separate
    paragraphs whose lines are hard-wrapped (broken in mid-sentence)."""
    lines = text.splitlines()
    if _is_hard_wrapped(lines):
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    else:
        paragraphs = [" ".join(line.split()) for line in lines]
    paragraphs = [p for p in paragraphs if p]
    total = max(1, sum(len(p) for p in paragraphs))
    return [Block(text=p, index=i, page_blocks=len(paragraphs), page_chars=total) for i, p in enumerate(paragraphs)]


_SENTENCE_END = re.compile(r"[.!?:;\"'”»)…]\s*$")


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when blank lines separate paragraphs and most line breaks inside them fall mid-sentence."""
    if not any(not line.strip() for line in lines):
        return False
    pairs = [(a, b) for a, b in zip(lines, lines[1:]) if a.strip() and b.strip()]
    mid_sentence = sum(not _SENTENCE_END.search(a) for a, _ in pairs)
    return bool(pairs) and 2 * mid_sentence >= len(pairs)
