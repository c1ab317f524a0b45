"""The Python API: Cleaner().clean(document)."""

from __future__ import annotations

import json

import pytest

from cleaner import Cleaner, CleanerConfig, InputError
from cleaner.storage import bundled_model


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def test_bundled_model_is_loaded_once_per_process():
    assert Cleaner().model is Cleaner().model is bundled_model()


def test_article_is_kept_and_frame_and_promo_dropped(cleaner: Cleaner, article_page: str):
    result = cleaner.clean(article_page)
    assert "harbour bridge reopened to traffic on Monday" in result.text
    assert "Bus routes 4 and 17 return" in result.text
    assert "WhatsApp" not in result.text
    assert "All rights reserved" not in result.text
    assert "Weather" not in result.text.splitlines()
    assert result.input_format == "html"


def test_bytes_are_decoded(cleaner: Cleaner, article_page: str):
    assert cleaner.clean(article_page.encode("utf-8")).text == cleaner.clean(article_page).text


def test_every_block_carries_its_decision(cleaner: Cleaner, article_page: str):
    blocks = cleaner.clean(article_page).blocks
    assert blocks and all(b.label in ("content", "promo", "boilerplate") for b in blocks)
    assert all(0.0 <= b.probability <= 1.0 and 0.0 <= b.content_probability <= 1.0 for b in blocks)
    assert all(b.kept == (b.content_probability >= cleaner.config.threshold) for b in blocks)
    assert all((b.label == "content") == b.kept for b in blocks)
    whatsapp = next(b for b in blocks if "WhatsApp" in b.text)
    assert not whatsapp.kept and whatsapp.label == "promo"


def test_threshold_trades_recall_for_precision(article_page: str):
    loose = Cleaner(threshold=0.05).clean(article_page)
    strict = Cleaner(threshold=0.95).clean(article_page)
    assert sum(b.kept for b in strict.blocks) <= sum(b.kept for b in Cleaner().clean(article_page).blocks)
    assert sum(b.kept for b in loose.blocks) >= sum(b.kept for b in strict.blocks)
    assert Cleaner(threshold=0.0).clean(article_page).text.count("\n") + 1 == len(loose.blocks)


def test_html_output_cuts_removed_blocks_and_keeps_the_rest(cleaner: Cleaner, article_page: str):
    result = cleaner.clean(article_page)
    html = result.html
    assert html.startswith("<!DOCTYPE html>")
    assert "<article" in html and "two of its steel supports" in html
    assert "WhatsApp" not in html and "All rights reserved" not in html
    for block in result.blocks:
        if block.kept:
            assert block.text.split()[0] in html


def test_markdown_output_marks_headings_and_lists(cleaner: Cleaner):
    page = (
        "<body><article><h2>What happens next</h2><p>The council will publish its plans for the "
        "eastern span in the spring, after a public consultation that opens next month.</p>"
        "<ul><li>Buses return on Monday after the long closure of the bridge.</li>"
        "<li>The ferry stops at the end of the month when the timetable changes.</li></ul></article></body>"
    )
    result = cleaner.clean(page, "html")
    result.blocks[:] = [
        b.__class__(b.text, b.tag, b.label, b.probability, b.content_probability, True) for b in result.blocks
    ]
    markdown = result.markdown
    assert markdown.startswith("## What happens next\n\nThe council")
    assert "\n\n- Buses return" in markdown and "\n- The ferry" in markdown


def test_to_dict_is_json_ready(cleaner: Cleaner, article_page: str):
    data = json.loads(json.dumps(cleaner.clean(article_page).to_dict()))
    assert set(data) == {"input_format", "text", "blocks"}
    assert set(data["blocks"][0]) == {"text", "tag", "label", "probability", "content_probability", "kept"}


def test_plain_text_keeps_paragraphs_verbatim_and_drops_promos(cleaner: Cleaner):
    text = (
        "The harbour bridge reopened to traffic on Monday morning, two years after engineers closed it.\n"
        "Sign up for our free daily newsletter to get the top stories in your inbox every morning.\n"
        "Council leader Maria Okafor said the repairs had cost 14 million pounds, more than planned.\n"
    )
    result = cleaner.clean(text)
    assert result.input_format == "text"
    kept = result.text.splitlines()
    assert kept[0] == text.splitlines()[0]
    assert text.splitlines()[2] in kept
    assert not any("newsletter" in line for line in kept)


def test_config_object_and_keyword_overrides(article_page: str):
    config = CleanerConfig(threshold=0.9, input_format="html")
    assert Cleaner(config=config).config.threshold == 0.9
    assert Cleaner(config=config, threshold=0.2).config == CleanerConfig(threshold=0.2, input_format="html")
    with pytest.raises(ValueError, match="threshold"):
        Cleaner(threshold=1.5)
    with pytest.raises(ValueError, match="input_format"):
        Cleaner(input_format="pdf")


@pytest.mark.parametrize("document", ["", "   ", b"", b"\x00\x01binary\x00\x02"])
def test_bad_documents_raise_input_error(cleaner: Cleaner, document):
    with pytest.raises(InputError):
        cleaner.clean(document)


def test_markup_free_text_is_refused_as_html(cleaner: Cleaner):
    with pytest.raises(InputError, match="not HTML"):
        cleaner.clean("plain words only", "html")


def test_a_model_file_can_be_given(small_model_path, article_page: str):
    result = Cleaner(small_model_path).clean(article_page)
    assert result.blocks and Cleaner(small_model_path).model is not bundled_model()


def test_clean_many_gives_what_clean_gives_and_errors_in_place(cleaner: Cleaner, article_page: str):
    documents = [article_page, b"", "A council meeting.\nJoin our WhatsApp channel for news!", article_page.encode()]
    results = cleaner.clean_many(documents)
    assert len(results) == len(documents)
    assert isinstance(results[1], InputError)
    for document, result in zip(documents, results):
        if isinstance(result, InputError):
            continue
        alone = cleaner.clean(document)
        assert result.input_format == alone.input_format
        assert [b.to_dict() for b in result.blocks] == [b.to_dict() for b in alone.blocks]
    assert results[0].html == cleaner.clean(article_page).html


HOSTILE = """<html><head><script>alert(1)</script></head><body><article>
<h1 onclick="steal()">Harbour bridge reopens to traffic after two years of repairs</h1>
<p onmouseover="steal()">The harbour bridge reopened to traffic on Monday morning, two years after engineers
closed it when cracks were found in two of its steel supports, the county council said.</p>
<iframe src="https://ads.example/frame"></iframe><script>document.cookie</script>
<p>Council leader Maria Okafor said the repairs had cost 14 million pounds, three million more than
planned, because corroded bolts had to be replaced along the <a href="javascript:steal()">whole span</a>.</p>
</article></body></html>"""


def test_html_output_is_sanitized_unless_asked_to_keep_the_markup():
    safe = Cleaner(threshold=0.0).clean(HOSTILE).html
    for unsafe in ("<script", "onclick", "onmouseover", "<iframe", "javascript:"):
        assert unsafe not in safe
    assert "steel supports" in safe and "whole span" in safe
    kept = Cleaner(threshold=0.0, safe_html=False).clean(HOSTILE).html
    assert "onclick" in kept and "<iframe" in kept and "javascript:" in kept
