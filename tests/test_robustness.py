"""Long and unattended runs: limits, resuming, error records, and stopping with a signal."""

from __future__ import annotations

import gzip
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import ARTICLE_PAGE, TRAINING_PAGES

from cleaner import Cleaner
from cleaner.api import Cleaner as ApiCleaner
from cleaner.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture()
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "bridge.html").write_text(ARTICLE_PAGE)
    (folder / "ferry.html").write_text(ARTICLE_PAGE.replace("bridge", "ferry terminal"))
    return folder


def test_skip_existing_cleans_only_what_is_missing(pages: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    assert run(["clean", str(pages), "-o", str(out)], capsys)[0] == 0
    (out / "ferry.txt").unlink()
    kept = (out / "bridge.txt").stat().st_mtime_ns
    status, _, err = run(["clean", str(pages), "-o", str(out), "--skip-existing"], capsys)
    assert status == 0, err
    assert "1 cleaned, 0 failed, 1 skipped" in err
    assert (out / "ferry.txt").read_text() and (out / "bridge.txt").stat().st_mtime_ns == kept


def test_errors_file_has_a_json_line_per_failed_input(pages: Path, tmp_path: Path, capsys):
    (pages / "empty.html").write_bytes(b"")
    errors = tmp_path / "errors.jsonl"
    status, _, err = run(
        ["clean", str(pages), str(pages / "gone.html"), "-o", str(tmp_path / "out"), "--errors", str(errors)], capsys
    )
    assert status == 1
    records = [json.loads(line) for line in errors.read_text().splitlines()]
    assert {r["source"] for r in records} == {str(pages / "empty.html"), str(pages / "gone.html")}
    assert all(r["error"] for r in records)
    assert "2 cleaned, 2 failed" in err


def test_a_slow_document_fails_alone_within_the_timeout(pages: Path, tmp_path: Path, capsys, monkeypatch):
    (pages / "slow.html").write_text(ARTICLE_PAGE.replace("bridge", "SLOW bridge"))
    segment = ApiCleaner._segment

    def slow_segment(self, document, input_format):
        if b"SLOW" in document:
            time.sleep(5)
        return segment(self, document, input_format)

    monkeypatch.setattr(ApiCleaner, "_segment", slow_segment)
    started = time.monotonic()
    status, _, err = run(["clean", str(pages), "-o", str(tmp_path / "out"), "--timeout", "0.5"], capsys)
    assert time.monotonic() - started < 4
    assert status == 1
    assert "slow.html: took longer than 0.5 s" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["bridge.txt", "ferry.txt"]


def test_size_limit_and_gzip_input(pages: Path, tmp_path: Path, capsys):
    (pages / "zipped.html").write_bytes(gzip.compress(ARTICLE_PAGE.encode()))
    status, _, err = run(["clean", str(pages / "zipped.html"), "-o", str(tmp_path / "out")], capsys)
    assert status == 0, err
    assert "steel supports" in (tmp_path / "out" / "zipped.txt").read_text()
    status, _, err = run(["clean", str(pages), "-o", str(tmp_path / "small"), "--max-size", "0.001"], capsys)
    assert status == 1 and err.count("too large") == 3


def test_gzip_bomb_stops_at_the_limit():
    bomb = gzip.compress(b"<p>" + b"a" * 50_000_000)
    with pytest.raises(Exception, match="too large: more than 20 MB once decompressed"):
        Cleaner().clean(bomb)


def test_stopped_run_leaves_only_whole_outputs_and_resumes(tmp_path: Path):
    pages = tmp_path / "pages"
    pages.mkdir()
    sources = sorted(TRAINING_PAGES.glob("*.html"))
    for number in range(3):
        for source in sources:
            shutil.copy(source, pages / f"{number}-{source.name}")
    out = tmp_path / "out"
    # Run from tmp_path: from the checkout, `-m cleaner` would import the source tree, which
    # holds no bundled model, instead of the installed package.
    command = [sys.executable, "-m", "cleaner", "clean", str(pages), "-o", str(out)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline and not (out.is_dir() and any(out.iterdir())):
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    if process.returncode != 0:  # stopped in the middle, as intended (a fast machine may finish first)
        assert process.returncode == 128 + signal.SIGTERM, err
        assert "stopped by SIGTERM" in err and "--skip-existing" in err
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "no temporary files left"
    first_run = {p.name: p.read_text() for p in out.iterdir()}
    assert len(first_run) < len(sources) * 3 or process.returncode == 0

    done = subprocess.run([*command, "--skip-existing"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(list(out.iterdir())) == len(sources) * 3
    fresh = tmp_path / "fresh"
    reference = subprocess.run(
        [
            sys.executable,
            "-m",
            "cleaner",
            "clean",
            *[str(pages / name.replace(".txt", ".html")) for name in first_run],
            "-o",
            str(fresh),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert reference.returncode == 0, reference.stderr
    for name, text in first_run.items():
        assert (fresh / name).read_text() == text, f"{name} was written whole before the signal"
