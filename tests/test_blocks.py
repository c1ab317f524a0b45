"""Segmentation: which elements make blocks, in what order, with what context."""

from __future__ import annotations

import pytest

from cleaner.blocks import attribute_tokens, parse_html, segment_html, segment_text
from cleaner.errors import InputError


def blocks_of(markup: str):
    return segment_html(parse_html(markup)).blocks


def test_paragraph_level_elements_each_make_a_block_in_order():
    markup = """<body><h2>Title</h2><p>First <b>bold</b> para.</p><ul><li>one</li><li>two</li></ul>
    <blockquote>quoted</blockquote><pre>code  here</pre><table><tr><td>cell</td><th>head</th></tr></table>
    <dl><dt>term</dt><dd>definition</dd></dl><figure><img src="x.png"><figcaption>caption</figcaption></figure></body>"""
    blocks = blocks_of(markup)
    assert [b.text for b in blocks] == [
        "Title",
        "First bold para.",
        "one",
        "two",
        "quoted",
        "code here",
        "cell",
        "head",
        "term",
        "definition",
        "caption",
    ]
    assert [b.tag for b in blocks][:3] == ["h2", "p", "li"]
    assert [b.index for b in blocks] == list(range(len(blocks)))
    assert all(b.page_blocks == len(blocks) for b in blocks)


def test_text_directly_in_containers_and_between_br_makes_blocks():
    blocks = blocks_of(
        "<body><div>loose text<br>second line<br/>third <span>line</span></div>"
        "<section>section text<p>para</p>tail text</section></body>"
    )
    assert [b.text for b in blocks] == ["loose text", "second line", "third line", "section text", "para", "tail text"]
    assert blocks[0].tag == "div"


def test_script_style_and_other_code_never_make_blocks():
    blocks = blocks_of(
        "<html><head><title>t</title><style>p{}</style></head><body><p>kept</p>"
        "<script>var x = 1;</script><noscript>enable js</noscript><template><p>hidden</p></template>"
        "<svg><text>chart</text></svg><p>also kept</p></body></html>"
    )
    assert [b.text for b in blocks] == ["kept", "also kept"]


def test_form_content_is_not_skipped():
    blocks = blocks_of("<body><form id='aspnetForm'><div><p>Article inside a form.</p></div></form></body>")
    assert [b.text for b in blocks] == ["Article inside a form."]


def test_whitespace_between_inline_elements_separates_words():
    blocks = blocks_of(
        "<body><p><strong>Read more:</strong> <a href='/x'>Ferry</a></p><p><a>Share</a>\n<a>Email</a></p></body>"
    )
    assert [b.text for b in blocks] == ["Read more: Ferry", "Share Email"]


def test_link_density_counts_link_text():
    block = blocks_of("<body><p><a href='/x'>Read more</a> about it</p></body>")[0]
    assert block.link_chars == len("Read more")
    assert block.link_density == len("Read more") / len("Read more about it")


def test_markup_context_tag_path_and_attribute_tokens():
    block = blocks_of(
        "<body><div id='main-content'><article class='story-body'><p class='lead'>text</p></article></div></body>"
    )[0]
    assert block.tag_path == ("body", "div", "article", "p")
    assert {"lead", "story-body", "story", "body", "main-content", "main", "content"} <= set(block.attribute_tokens)
    assert block.depth == 3


def test_generated_class_names_are_dropped():
    from lxml import etree

    tokens = attribute_tokens(etree.fromstring('<div class="css-1lp6l2f sc-bdVaJa articleBody"/>'))
    assert "1lp6l2f" not in tokens and "css-1lp6l2f" not in tokens
    assert {"css", "articlebody", "article", "body"} <= set(tokens)


def test_main_text_container_is_found_by_prose_mass():
    prose = "This sentence is long enough to count as prose in the article body of the page. " * 2
    blocks = blocks_of(
        f"<body><nav><a>Home</a> <a>News</a></nav><div class='a'><p>{prose}</p><p>{prose}</p></div>"
        "<footer><p>About us</p></footer></body>"
    )
    assert [b.in_main_text for b in blocks] == [False, True, True, False]
    assert blocks[1].ancestor_chars[0] == 2 * len(prose.strip())


def test_deeply_nested_html_does_not_recurse():
    depth = 1500  # past Python's recursion limit; libxml2 itself stops at 2048 levels
    markup = "<body>" + "<div>" * depth + "<p>deep text</p>" + "</div>" * depth + "</body>"
    blocks = blocks_of(markup)
    assert [b.text for b in blocks] == ["deep text"]


def test_xhtml_with_an_xml_declaration_is_parsed():
    page = '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>text</p></body></html>'
    assert [b.text for b in blocks_of(page)] == ["text"]


def test_parse_html_refuses_text_without_markup():
    with pytest.raises(InputError, match="not HTML"):
        parse_html("just some words, no markup at all")


def test_segment_text_one_block_per_line():
    blocks = segment_text("First line.\nSecond line.\n\nThird line.\n")
    assert [b.text for b in blocks] == ["First line.", "Second line.", "Third line."]


def test_segment_text_keeps_sentence_lines_apart_despite_blank_lines():
    blocks = segment_text("Intro line.\n\nFirst point.\nSecond point.\n")
    assert [b.text for b in blocks] == ["Intro line.", "First point.", "Second point."]


def test_segment_text_blank_line_paragraphs_join_wrapped_lines():
    blocks = segment_text("A paragraph that\nwraps over lines.\n\nAnother one\nthat wraps.")
    assert [b.text for b in blocks] == ["A paragraph that wraps over lines.", "Another one that wraps."]
