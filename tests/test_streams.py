"""Streams: Cleaner.clean_stream, JSON Lines and WARC input on the command line."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest
import zstandard
from support import ARTICLE_PAGE
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner import Cleaner
from cleaner.cli import main

OTHER_PAGE = ARTICLE_PAGE.replace("bridge", "ferry terminal")


def records_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_clean_stream_keeps_order_fields_and_reports_errors():
    records = [
        {"id": 1, "html": ARTICLE_PAGE, "lang": "en"},
        {"id": 2, "html": ""},
        {"id": 3, "page": ARTICLE_PAGE},
        {"id": 4, "html": OTHER_PAGE.encode()},
        {"id": 5, "error": "broken upstream"},
    ]
    cleaner = Cleaner()
    out = list(cleaner.clean_stream(iter(records), batch_size=2))
    assert [r["id"] for r in out] == [1, 2, 3, 4, 5]
    assert out[0]["lang"] == "en" and out[0]["text"] == cleaner.clean(ARTICLE_PAGE).text
    assert out[1]["error"] == "empty document" and "text" not in out[1]
    assert "no 'html' field" in out[2]["error"]
    assert out[3]["text"] == cleaner.clean(OTHER_PAGE).text
    assert out[4] == records[4]
    assert records[0] == {"id": 1, "html": ARTICLE_PAGE, "lang": "en"}, "input records are not changed"


def test_clean_stream_is_lazy():
    def endless():
        number = 0
        while True:
            number += 1
            yield {"id": number, "html": ARTICLE_PAGE}

    stream = Cleaner().clean_stream(endless(), keep_html=False)
    first = [next(stream) for _ in range(3)]
    assert [r["id"] for r in first] == [1, 2, 3] and "html" not in first[0]


def test_jsonl_from_stdin_to_stdout_with_named_fields(monkeypatch, capsys):
    lines = [
        json.dumps({"url": "a", "body": ARTICLE_PAGE}),
        "this is not json",
        json.dumps({"url": "b", "body": OTHER_PAGE}),
    ]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode())))
    status = main(["clean", "--input-format", "jsonl", "--html-field", "body", "--text-field", "clean"])
    captured = capsys.readouterr()
    assert status == 1  # one line was not JSON
    out = records_of(captured.out)
    assert [r.get("url") for r in out] == ["a", None, "b"]
    assert "steel supports" in out[0]["clean"] and "WhatsApp" not in out[0]["clean"]
    assert out[1]["line"] == 2 and "not JSON" in out[1]["error"]
    assert "2 records cleaned, 1 failed" in captured.err


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_compressed_jsonl_in_and_out(tmp_path: Path, capsys, suffix: str):
    if suffix.endswith(".zst"):
        compress = zstandard.ZstdCompressor().compress
        decompress = zstandard.ZstdDecompressor().decompressobj().decompress
    elif suffix.endswith(".gz"):
        compress, decompress = gzip.compress, gzip.decompress
    else:
        compress = decompress = bytes
    source = tmp_path / f"docs{suffix}"
    source.write_bytes(compress(b"\n".join(json.dumps({"html": p}).encode() for p in (ARTICLE_PAGE, OTHER_PAGE))))
    target = tmp_path / f"clean{suffix}"
    assert main(["clean", "--input-format", "jsonl", str(source), "-o", str(target)]) == 0, capsys.readouterr().err
    out = records_of(decompress(target.read_bytes()).decode())
    assert [r["text"] for r in out] == [Cleaner().clean(ARTICLE_PAGE).text, Cleaner().clean(OTHER_PAGE).text]


def write_warc(path: Path) -> None:
    """A small WARC of our own: a request, two HTML responses, an image and a metadata record."""
    with path.open("wb") as output:
        writer = WARCWriter(output, gzip=path.suffix == ".gz")

        def response(url: str, content_type: str, body: bytes) -> None:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )

        writer.write_record(
            writer.create_warc_record("https://news.example/a", "request", payload=io.BytesIO(b"GET /a"))
        )
        response("https://news.example/a", "text/html; charset=utf-8", ARTICLE_PAGE.encode())
        response("https://news.example/logo.png", "image/png", b"\x89PNG\r\n")
        response("https://news.example/b", "text/html", OTHER_PAGE.encode())
        writer.write_record(writer.create_warc_record("https://news.example/", "metadata", payload=io.BytesIO(b"x")))


def test_warc_responses_become_records_with_url_id_and_date(tmp_path: Path, capsys):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc)
    target = tmp_path / "clean.jsonl"
    status = main(["clean", str(warc), "-o", str(target)])
    err = capsys.readouterr().err
    assert status == 0, err
    out = records_of(target.read_text())
    assert [r["url"] for r in out] == ["https://news.example/a", "https://news.example/b"]
    assert all(r["warc_record_id"].startswith("<urn:uuid:") and r["warc_date"] for r in out)
    assert out[0]["text"] == Cleaner().clean(ARTICLE_PAGE).text and "html" not in out[0]
    assert "2 records cleaned, 0 failed, 3 WARC records skipped" in err


def test_warc_and_html_inputs_do_not_mix(tmp_path: Path, capsys):
    warc = tmp_path / "crawl.warc"
    write_warc(warc)
    page = tmp_path / "page.html"
    page.write_text(ARTICLE_PAGE)
    assert main(["clean", str(warc), str(page), "-o", str(tmp_path / "out")]) == 2
    assert "WARC files go with" in capsys.readouterr().err


def test_a_missing_optional_reader_names_the_extra(tmp_path: Path, capsys, monkeypatch):
    warc = tmp_path / "crawl.warc"
    write_warc(warc)
    for module in ("warcio", "warcio.archiveiterator"):
        monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    assert main(["clean", str(warc), "-o", str(tmp_path / "clean.jsonl")]) == 1
    assert "pip install 'cleaner[warc]'" in capsys.readouterr().err
    assert not (tmp_path / "clean.jsonl").exists()


def test_spark_integration_without_pyspark_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql.functions", None)
    from cleaner.spark import clean_column

    with pytest.raises(ImportError, match=r"pip install 'cleaner\[spark\]'"):
        clean_column("html")
