"""The command line, called in-process through main() and as the installed `cleaner` command."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import SMALL_TRAINING_SET, TRAINING_PAGES

from cleaner.cli import main


@pytest.fixture()
def pages(tmp_path: Path, article_page: str) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "bridge.html").write_text(article_page)
    (folder / "ferry.htm").write_text(article_page.replace("bridge", "ferry terminal"))
    (folder / "notes.txt").write_text(
        "The harbour bridge reopened to traffic on Monday morning after two years of repairs.\n"
        "Sign up for our free daily newsletter to get the top stories in your inbox every morning.\n"
    )
    return folder


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_clean_one_page_prints_text(pages: Path, capsys):
    status, out, err = run(["clean", str(pages / "bridge.html")], capsys)
    assert status == 0, err
    assert "steel supports" in out and "WhatsApp" not in out
    assert out.endswith("\n") and "\n\n" not in out


@pytest.mark.parametrize(
    ("fmt", "marker"), [("html", "<!DOCTYPE html>"), ("markdown", "harbour bridge"), ("json", '"blocks"')]
)
def test_each_format(pages: Path, capsys, fmt: str, marker: str):
    status, out, err = run(["clean", str(pages / "bridge.html"), "--format", fmt], capsys)
    assert status == 0, err
    assert marker in out and "WhatsApp" not in (json.loads(out)["text"] if fmt == "json" else out)
    if fmt == "json":
        blocks = json.loads(out)["blocks"]
        assert any(not b["kept"] and "WhatsApp" in b["text"] for b in blocks)


def test_folder_to_output_dir_in_parallel(pages: Path, tmp_path: Path, capsys):
    out_dir = tmp_path / "out"
    status, out, err = run(["clean", str(pages), "-o", str(out_dir), "-j", "2"], capsys)
    assert status == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == ["bridge.txt", "ferry.txt", "notes.txt"]
    assert "ferry terminal" in (out_dir / "ferry.txt").read_text()
    assert "newsletter" not in (out_dir / "notes.txt").read_text()
    assert "reopened to traffic" in (out_dir / "notes.txt").read_text()
    assert out == "" and "[" not in err, "no progress bar when stderr is not a terminal"
    assert "3 cleaned, 0 failed" in err


def test_output_is_the_same_with_one_or_two_processes(pages: Path, tmp_path: Path, capsys):
    run(["clean", str(pages), "-o", str(tmp_path / "one"), "-j", "1", "--format", "json"], capsys)
    run(["clean", str(pages), "-o", str(tmp_path / "two"), "-j", "2", "--format", "json"], capsys)
    for path in (tmp_path / "one").iterdir():
        assert path.read_text() == (tmp_path / "two" / path.name).read_text()


def test_globs_are_expanded(pages: Path, tmp_path: Path, capsys):
    status, _, err = run(["clean", str(pages / "*.htm*"), "-o", str(tmp_path / "out"), "--format", "markdown"], capsys)
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bridge.md", "ferry.md"]


def test_stdin_to_stdout(article_page: str, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(article_page.encode())))
    status, out, err = run(["clean", "-"], capsys)
    assert status == 0, err
    assert "steel supports" in out


def test_threshold_option(pages: Path, capsys):
    _, loose, _ = run(["clean", str(pages / "bridge.html"), "--threshold", "0"], capsys)
    _, strict, _ = run(["clean", str(pages / "bridge.html"), "--threshold", "1"], capsys)
    assert len(loose) > len(strict)
    with pytest.raises(SystemExit):
        main(["clean", str(pages / "bridge.html"), "--threshold", "2"])


def test_several_inputs_without_output_dir_is_a_usage_error(pages: Path, capsys):
    status, _, err = run(["clean", str(pages / "bridge.html"), str(pages / "ferry.htm")], capsys)
    assert status == 2 and "-o DIR" in err


BAD_INPUTS = {
    "empty.html": (b"", "empty document"),
    "binary.html": (bytes(range(256)) * 8, "binary data"),
    "words.html": (b"Just a few words, no markup at all.", "not HTML"),
    "legacy.html": (b"<p>" + bytes(range(0x80, 0x100)) * 8 + b"</p>", "undecodable bytes"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_one_line_error_and_no_output(tmp_path: Path, capsys, name: str):
    data, message = BAD_INPUTS[name]
    source = tmp_path / name
    source.write_bytes(data)
    out_dir = tmp_path / "out"
    status, out, err = run(["clean", str(source), "-o", str(out_dir)], capsys)
    assert status == 1
    assert err.strip() == f"cleaner: {source}: {message}" or err.strip().startswith(f"cleaner: {source}: {message}")
    assert len(err.strip().splitlines()) == 1
    assert list(out_dir.iterdir()) == [], "no output file, not even a partial or temporary one"


def test_missing_path_is_an_error(tmp_path: Path, capsys):
    status, _, err = run(["clean", str(tmp_path / "nope.html")], capsys)
    assert status == 1 and "nope.html: no such file or folder" in err


def test_unreadable_file_is_an_error(pages: Path, tmp_path: Path, capsys, monkeypatch):
    locked = pages / "locked.html"
    locked.write_text("<p>secret</p>")
    if os.geteuid() == 0:  # root reads any file: make this one refuse the read, as chmod would
        read_bytes = Path.read_bytes

        def refuse(path: Path) -> bytes:
            if path.name == "locked.html":
                raise PermissionError(13, "Permission denied", str(path))
            return read_bytes(path)

        monkeypatch.setattr(Path, "read_bytes", refuse)
    else:
        locked.chmod(0)
    status, _, err = run(["clean", str(locked), str(pages / "bridge.html"), "-o", str(tmp_path / "out")], capsys)
    assert status == 1 and "locked.html: Permission denied" in err
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["bridge.txt"]


def test_mixed_folder_cleans_the_good_files_and_reports_the_bad(pages: Path, tmp_path: Path, capsys):
    (pages / "empty.html").write_bytes(b"")
    (pages / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    out_dir = tmp_path / "out"
    status, _, err = run(["clean", str(pages), "-o", str(out_dir), "-j", "2"], capsys)
    assert status == 1
    assert f"{pages / 'empty.html'}: empty document" in err
    assert f"{pages / 'image.png'}: binary data" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["bridge.txt", "ferry.txt", "notes.txt"]
    assert "3 cleaned, 2 failed" in err


def test_output_that_would_overwrite_an_input_is_refused(pages: Path, capsys):
    status, _, err = run(["clean", str(pages / "bridge.html"), "--format", "html", "-o", str(pages)], capsys)
    assert status == 1 and "would overwrite an input" in err
    assert "WhatsApp" in (pages / "bridge.html").read_text()


def test_outputs_with_the_same_name_are_not_overwritten(pages: Path, tmp_path: Path, capsys):
    (pages / "bridge.txt").write_text("The bridge story as plain text, long enough to keep around.\n")
    status, _, err = run(
        ["clean", str(pages / "bridge.html"), str(pages / "bridge.txt"), "-o", str(tmp_path / "o")], capsys
    )
    assert status == 1 and "already the output of" in err


def test_train_then_clean_with_the_trained_model(tmp_path: Path, pages: Path, capsys):
    model = tmp_path / "models" / "mine.skops"
    data = [str(TRAINING_PAGES / name) for name in SMALL_TRAINING_SET[:4]]
    status, out, err = run(["train", *data, "-o", str(model)], capsys)
    assert status == 0, err
    assert model.exists() and model.with_suffix(".json").exists()
    assert "trained on 4 pages" in out
    status, out, err = run(["clean", str(pages / "bridge.html"), "--model", str(model)], capsys)
    assert status == 0 and "bridge" in out


def test_train_on_an_unlabelled_page_fails_cleanly(tmp_path: Path, capsys):
    page = tmp_path / "raw.html"
    page.write_text("<html><body><p>no labels</p></body></html>")
    status, _, err = run(["train", str(page), "-o", str(tmp_path / "m.skops")], capsys)
    assert status == 1 and "raw.html" in err and "label" in err
    assert not (tmp_path / "m.skops").exists()


def test_evaluate_prints_per_page_and_mean_scores(tmp_path: Path, article_page: str, capsys):
    (tmp_path / "p1.html").write_text(article_page)
    (tmp_path / "p1.truth.txt").write_text(
        "The harbour bridge reopened to traffic on Monday morning, two years after engineers closed it\n"
        "when cracks were found in two of its steel supports, the county council said.\n"
    )
    (tmp_path / "p1.without.txt").write_text("Join our WhatsApp community for breaking news from the harbour\n")
    status, out, err = run(["evaluate", str(tmp_path)], capsys)
    assert status == 0, err
    assert out.splitlines()[1].startswith("pages/p1") or "p1" in out.splitlines()[1]
    assert "mean of 1 pages" in out and "promo leak 0.0% of 1 snippets" in out
    assert "95% interval" not in out  # one page has no spread to resample


def test_evaluate_records_scores_and_intervals_in_the_card(
    tmp_path: Path, article_page: str, small_model_path: Path, capsys
):
    truth = "The harbour bridge reopened to traffic on Monday morning, two years after engineers closed it\n"
    for name, without in (("p1", "Join our WhatsApp community for breaking news from the harbour"), ("p2", "")):
        (tmp_path / f"{name}.html").write_text(article_page)
        (tmp_path / f"{name}.truth.txt").write_text(truth)
        (tmp_path / f"{name}.without.txt").write_text(without + "\n")
    model = tmp_path / "model" / "m.skops"
    model.parent.mkdir()
    shutil.copy(small_model_path, model)
    shutil.copy(small_model_path.with_suffix(".json"), model.with_suffix(".json"))
    status, out, err = run(["evaluate", str(tmp_path), "--model", str(model), "--record", "mine"], capsys)
    assert status == 0, err
    assert "mean of 2 pages" in out and "95% interval (pages resampled): F1 " in out
    recorded = json.loads(model.with_suffix(".json").read_text())["metrics"]["mine"]
    assert recorded["pages"] == 2 and recorded["snippets"] == 1
    low, high = recorded["intervals_95"]["f1"]
    assert low <= recorded["f1"] <= high


def test_a_model_that_cannot_be_loaded_is_a_clean_error(tmp_path: Path, pages: Path, capsys):
    status, _, err = run(["clean", str(pages / "bridge.html"), "--model", str(tmp_path / "none.skops")], capsys)
    assert status == 1 and "no such model file" in err and "Traceback" not in err


@pytest.mark.skipif(shutil.which("cleaner") is None, reason="the cleaner command is not installed")
def test_installed_command(pages: Path, tmp_path: Path):
    done = subprocess.run(
        ["cleaner", "clean", str(pages / "bridge.html"), "--format", "text"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "steel supports" in done.stdout
    piped = subprocess.run(
        ["cleaner", "clean", "-"],
        input=(pages / "bridge.html").read_text(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.stdout == done.stdout
    failed = subprocess.run(["cleaner", "clean", str(tmp_path / "missing.html")], capture_output=True, text=True)
    assert failed.returncode == 1 and failed.stderr.count("\n") == 1


def test_progress_bar_is_drawn_on_a_terminal_only():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    from cleaner.cli import Progress

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = Progress(3, stream)
        for _ in range(3):
            progress.step()
    assert "3/3" in terminal.getvalue() and terminal.getvalue().endswith("\n")
    assert pipe.getvalue() == ""


def test_html_format_is_sanitized_unless_keep_markup(tmp_path: Path, capsys):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><script>alert(1)</script><article><p onclick='steal()'>The harbour bridge reopened to "
        "traffic on Monday morning, two years after engineers closed it when cracks were found.</p>"
        "<iframe src='https://ads.example/'></iframe></article></body></html>"
    )
    status, out, _ = run(["clean", str(page), "--format", "html", "--threshold", "0"], capsys)
    assert status == 0 and "harbour bridge" in out
    assert "<script" not in out and "onclick" not in out and "<iframe" not in out
    status, out, _ = run(["clean", str(page), "--format", "html", "--threshold", "0", "--keep-markup"], capsys)
    assert status == 0 and "onclick" in out and "<iframe" in out
