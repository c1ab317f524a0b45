"""The labelling loop: export with the model's labels, correct, retrain, evaluate, info."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import SMALL_TRAINING_SET, TRAINING_PAGES

from cleaner import Cleaner
from cleaner.cli import main
from cleaner.corpus import read_labelled_page
from cleaner.labelling import export_page

# A promo whose wording none of the small training set uses, in an otherwise ordinary article.
QUIZ_PROMO = (
    "Grab a table at the Gazette pub quiz in the Anchor on Thursday: eight rounds, "
    "a rollover jackpot and free chips for every team that books before noon."
)
PAGE = f"""<html><body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour bridge reopens</h1>
<p>The harbour bridge reopened to traffic on Monday morning, two years after engineers closed it when cracks were found in two of its steel supports, the county council said.</p>
<p>Council leader Maria Okafor said the repairs had cost 14 million pounds, three million more than planned, because corroded bolts had to be replaced along the whole eastern span.</p>
<p>"We would rather have spent that money on schools," she told reporters at the reopening. "But a bridge that people cannot trust is not a bridge at all."</p>
<p>Engineers will inspect the bridge every six months for the next five years, and sensors installed during the repairs will warn them of any new movement in the supports.</p>
<p>{QUIZ_PROMO}</p>
<p>Bus routes 4 and 17 return to the bridge from next week, and the ferry service that replaced them during the closure will stop running at the end of the month.</p>
<p>Residents on the eastern shore said the closure had doubled journey times to the hospital, and several shops near the old ferry landing said trade had fallen by a third.</p>
<p>The council said a public meeting about the bridge's long-term future would be held at the town hall in April, and that residents could send written questions beforehand.</p>
</article><footer><p>&copy; 2026 The Harbour Gazette</p></footer></body></html>"""


def test_export_labels_every_block_in_the_training_format(small_model_path: Path, tmp_path: Path):
    exported = export_page(PAGE, Cleaner(small_model_path))
    path = tmp_path / "page.html"
    path.write_text(exported.html)
    page = read_labelled_page(path)
    assert [b.text for b in page.blocks] == [b.text for b in exported.blocks]
    assert page.labels == [b.label for b in exported.blocks]
    assert 'data-probability="' in exported.html


def test_export_gives_text_between_br_labels_of_its_own(small_model_path: Path, tmp_path: Path):
    page = (
        "<html><body><div>The council approved the harbour budget on Tuesday after a long debate about the bridge."
        "<br>Sign up for our newsletter to get council news every morning.<br>Share on Facebook</div></body></html>"
    )
    exported = export_page(page, Cleaner(small_model_path))
    path = tmp_path / "br.html"
    path.write_text(exported.html)
    assert read_labelled_page(path).labels == [b.label for b in exported.blocks]
    assert len(exported.blocks) == 3


def expected_label(text: str) -> str:
    if text.startswith("Grab a table"):
        return "promo"
    if text in ("Home News Sport", "Harbour bridge reopens") or text.startswith("©"):
        return "boilerplate"
    return "content"


def test_correct_one_label_and_retrain_fixes_the_page(tmp_path: Path, capsys):
    # A starting model from one in ten of our pages: it gets some blocks of PAGE wrong.
    data = [str(path) for path in sorted(TRAINING_PAGES.glob("*.html"))[::10]]
    start_model = tmp_path / "start.skops"
    assert main(["train", *data, "-o", str(start_model)]) == 0
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "quiz.html").write_text(PAGE)
    assert main(["export", str(pages), "-o", str(tmp_path / "to_label"), "--model", str(start_model)]) == 0
    exported = tmp_path / "to_label" / "quiz.html"
    page = read_labelled_page(exported)
    wrong = [
        (b.text, label)
        for b, label in zip(page.blocks, page.labels)
        if (label == "content") != (expected_label(b.text) == "content")
    ]
    assert wrong, "the starting model must get a block of this page wrong for this test to mean anything"
    text, label = wrong[0]

    html = exported.read_text()
    at = html.index(text[:40])
    start = html.rindex('data-label="', 0, at) + len('data-label="')
    assert html[start : html.index('"', start)] == label
    exported.write_text(html[:start] + expected_label(text) + html[html.index('"', start) :])

    model = tmp_path / "mine.skops"
    assert main(["train", *data, str(tmp_path / "to_label"), "-o", str(model)]) == 0
    after = {b.text: b for b in Cleaner(model).clean(PAGE).blocks}
    assert after[text].kept == (expected_label(text) == "content"), "the corrected block comes out right"
    right = sum(b.kept == (expected_label(t) == "content") for t, b in after.items())
    assert right > len(page.blocks) - len(wrong), "the page as a whole comes out better"


def test_export_uncertain_marks_only_the_least_sure_blocks(small_model_path: Path, tmp_path: Path, capsys):
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in SMALL_TRAINING_SET[:3]:
        (pages / name).write_bytes((TRAINING_PAGES / name).read_bytes())
    (pages / "notes.txt").write_text("not a page, skipped in folders")
    status = main(
        ["export", str(pages), "--uncertain", "4", "-o", str(tmp_path / "out"), "--model", str(small_model_path)]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert len(out.strip().splitlines()) == 4
    written = list((tmp_path / "out").iterdir())
    assert 1 <= len(written) <= 3
    assert sum(p.read_text().count('data-check="uncertain"') for p in written) == 4


def test_evaluate_reports_block_labels_and_a_confusion_matrix(small_model_path: Path, capsys):
    pages = [str(TRAINING_PAGES / name) for name in ("broadcaster-culture.html", "fr-podcasts.html")]
    assert main(["evaluate", "--model", str(small_model_path), *pages]) == 0
    out = capsys.readouterr().out
    assert "confusion (rows: true label, columns: predicted)" in out
    for label in ("boilerplate", "content", "promo"):
        assert any(line.startswith(label) for line in out.splitlines())


def test_evaluate_cross_validation_is_grouped_by_page(capsys):
    pages = [str(TRAINING_PAGES / name) for name in SMALL_TRAINING_SET[:6]]
    assert main(["evaluate", "--cv", "3", *pages]) == 0
    out = capsys.readouterr().out
    content_row = next(line for line in out.splitlines() if line.startswith("content "))
    precision, recall = (float(x) for x in content_row.split()[1:3])
    assert precision > 0.5 and recall > 0.3, "four pages per fold teach little, but not nothing"
    total = sum(
        int(line.split()[-1])
        for line in out.splitlines()
        if line.split()[:1] in (["content"], ["promo"], ["boilerplate"]) and len(line.split()) == 5
    )
    expected = sum(len(read_labelled_page(TRAINING_PAGES / name).blocks) for name in SMALL_TRAINING_SET[:6])
    assert total == expected, "every block is tested exactly once"


def test_info_prints_the_model_card(small_model_path: Path, capsys):
    assert main(["info", "--model", str(small_model_path)]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["labels"] == ["boilerplate", "content", "promo"]
    assert card["training_data"]["pages"] == len(SMALL_TRAINING_SET)
    assert main(["info"]) == 0
    assert "wcxb-test" in json.loads(capsys.readouterr().out)["metrics"]


def test_info_on_a_file_that_is_not_a_model(tmp_path: Path, capsys):
    bogus = tmp_path / "x.skops"
    bogus.write_text("nope")
    assert main(["info", "--model", str(bogus)]) == 1
    assert "cleaner train" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["export", "--help"], ["info", "--help"]])
def test_commands_have_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(command)
    assert exit_info.value.code == 0
