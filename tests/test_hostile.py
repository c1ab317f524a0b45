"""Hostile and broken documents: each gives cleaned output or an InputError, never a crash or a hang.

The generated cases run under hypothesis; any input it ever finds that crashes goes into
HOSTILE_FIXTURES below, so it is tried on every run from then on.
"""

from __future__ import annotations

import codecs
import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, CleanResult, InputError

ARTICLE = (
    "<p>The harbour bridge reopened to traffic on Monday morning, two years after engineers closed it "
    "when cracks were found in two of its steel supports, the county council said.</p>"
)

HOSTILE_FIXTURES = {
    "stray nul bytes": b"<html><body>\x00" + ARTICLE.encode() * 20 + b"\x00</body></html>",
    "mostly nul bytes": b"<p>" + b"\x00" * 500 + ARTICLE.encode(),
    "utf-8 bom": codecs.BOM_UTF8 + ARTICLE.encode(),
    "utf-16 le with bom": codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
    "utf-16 be with bom": codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
    "utf-16 without bom": ARTICLE.encode("utf-16-le"),
    "charset that lies": b'<meta charset="shift_jis">' + "Caf\u00e9 \u2014 na\u00efve".encode() + ARTICLE.encode(),
    "unknown charset": b'<meta charset="x-no-such-thing">' + ARTICLE.encode(),
    "entity expansion bomb": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode()
            for i in range(1, 10)
        )
        + b']><html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p>'
        + ARTICLE.encode()
        + b"</body></html>"
    ),
    "gzip named html": gzip.compress(ARTICLE.encode()),
    "comments only": b"<!-- nothing here --><!-- nor here -->",
    "frameset": b'<html><frameset cols="50%,50%"><frame src="a.html"><frame src="b.html"></frameset>'
    b"<noframes>" + ARTICLE.encode() + b"</noframes></html>",
    "unclosed everything": b"<html><body><div><p><b><i><a href=" + ARTICLE.encode(),
    "only a doctype": b"<!DOCTYPE html>",
    "markup inside attributes": b'<div class="<p>x</p>" id=\'"><script>\'>' + ARTICLE.encode(),
    "deep nesting": b"<div>" * 100_000 + ARTICLE.encode() + b"</div>" * 100_000,
    "many tiny elements": b"<body>" + b"<b>x</b>" * 200_000 + ARTICLE.encode() + b"</body>",
    "ten megabyte text node": b"<p>" + b"word " * 2_000_000 + b"</p>" + ARTICLE.encode(),
    # libxml2 checks attributes for duplicates pairwise: 20,000 take 0.4 s, 100,000 take 8 s.
    "huge attribute count": b"<div " + b" ".join(b"a%d=x" % i for i in range(20_000)) + b">" + ARTICLE.encode(),
}


def clean_or_refuse(data: bytes | str) -> CleanResult | None:
    """The result of cleaning, or None when the document was refused with an InputError."""
    try:
        return Cleaner().clean(data)
    except InputError as error:
        assert str(error) and "\n" not in str(error)
        return None


@pytest.mark.parametrize("name", sorted(HOSTILE_FIXTURES))
def test_hostile_fixture_is_cleaned_or_refused(name: str):
    result = clean_or_refuse(HOSTILE_FIXTURES[name])
    if result is not None:
        assert isinstance(result.text, str) and isinstance(result.html, str)


@pytest.mark.parametrize(
    "name",
    [
        "utf-8 bom",
        "utf-16 le with bom",
        "utf-16 be with bom",
        "utf-16 without bom",
        "gzip named html",
        "stray nul bytes",
        "frameset",
        "charset that lies",
        "unknown charset",
        "markup inside attributes",
        "unclosed everything",
    ],
)
def test_the_article_survives(name: str):
    result = clean_or_refuse(HOSTILE_FIXTURES[name])
    assert result is not None and "steel supports" in result.text


def test_binary_and_empty_documents_are_refused():
    for name in ("mostly nul bytes", "comments only", "only a doctype"):
        assert clean_or_refuse(HOSTILE_FIXTURES[name]) is None, name


def test_frameset_fallback_is_text_not_markup():
    result = clean_or_refuse(HOSTILE_FIXTURES["frameset"])
    assert result is not None and "<p>" not in result.text


def test_entities_are_not_expanded():
    result = clean_or_refuse(HOSTILE_FIXTURES["entity expansion bomb"])
    assert result is None or result.text.count("lol") < 1000


def test_a_page_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(InputError, match="too large"):
        Cleaner().clean(b"<p>" + b"x" * 50_000_000 + b"</p>")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_are_cleaned_or_refused(data: bytes):
    clean_or_refuse(data)


TAGS = ["p", "div", "span", "a", "b", "br", "li", "ul", "table", "td", "tr", "h1", "script", "style", "form"]
TAGS += ["noscript", "svg", "math", "iframe", "frameset", "noframes", "template", "pre", "!--", "?xml", "html"]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    """Open, close and broken tags with attributes and text, in any order and nesting."""
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.sampled_from(["open", "close", "text", "broken", "entity"]))
        tag = draw(st.sampled_from(TAGS))
        if kind == "open":
            attribute = draw(st.sampled_from(["", ' class="nav"', " id=x", ' href="javascript:x()"', " onclick='y'"]))
            parts.append(f"<{tag}{attribute}>")
        elif kind == "close":
            parts.append(f"</{tag}>")
        elif kind == "broken":
            parts.append(draw(st.sampled_from(["<", "</", "<p", "<!", "<![CDATA[", "-->", "&", "&#x", "]]>"])))
        elif kind == "entity":
            parts.append(draw(st.sampled_from(["&amp;", "&nbsp;", "&#0;", "&#xD800;", "&#1114112;", "&bogus;"])))
        else:
            parts.append(draw(TEXT))
    return "".join(parts)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tag_soup())
def test_tag_soup_gives_only_text_of_the_page(page: str):
    result = clean_or_refuse(page)
    if result is None:
        return
    blocks = {block.text for block in result.blocks}
    assert all(line in blocks for line in result.text.splitlines())
    result.html  # noqa: B018 - rendering must not fail either
    result.markdown  # noqa: B018


def test_control_characters_in_text_do_not_break_html_output():
    # Found by the tag-soup test: a vertical tab between paragraphs made the sanitizer fail.
    page = "<p><iframe></p>\x0b<p><p></p><p class='nav'><div href='javascript:x()'>" + ARTICLE + "tail\x0cend\x01"
    result = Cleaner().clean(page)
    assert "steel supports" in result.html
    assert "tail end" in result.html
