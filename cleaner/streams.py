"""Streams of documents: JSON Lines records and WARC files in, JSON Lines out, in constant memory.

JSON Lines may be gzip- or zstd-compressed (by content on the way in, by file suffix on the way
out). WARC files are read with warcio, an optional dependency (`pip install cleaner[warc]`);
zstd needs zstandard (`pip install cleaner[zstd]`).
"""

from __future__ import annotations

import gzip
import importlib
import io
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from cleaner.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: str) -> bool:
    """True for a WARC file name (`.warc` or `.warc.gz`)."""
    return path.lower().endswith(WARC_SUFFIXES)


def _optional(module: str, extra: str) -> Any:
    """Import a module of an optional dependency, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        raise InputError(f"needs the {package} package: pip install 'cleaner[{extra}]'") from None


def open_decompressed(raw: BinaryIO) -> BinaryIO:
    """The stream, decompressed when it starts with the gzip or zstd magic number."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, raw))
    head = buffered.peek(4)[:4]
    if head.startswith(GZIP_MAGIC):
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    if head.startswith(ZSTD_MAGIC):
        zstandard = _optional("zstandard", "zstd")
        return zstandard.ZstdDecompressor().stream_reader(buffered)
    return buffered


def read_jsonl(stream: BinaryIO, name: str, error_field: str) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines stream, in order. A line that is not a JSON object gives a
    record holding only `line` and `error_field`, so the output keeps a line per input line."""
    for number, line in enumerate(io.TextIOWrapper(stream, encoding="utf-8", errors="replace"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield {"line": number, error_field: f"{name}:{number}: not JSON ({error.msg})"}
            continue
        if not isinstance(record, dict):
            yield {"line": number, error_field: f"{name}:{number}: not a JSON object"}
            continue
        yield record


@dataclass(slots=True)
class WarcCounts:
    """What a WARC file held besides the HTML responses that were cleaned."""

    skipped: int = 0  # records that are not HTML responses: requests, metadata, images, ...


def read_warc(stream: BinaryIO, html_field: str, counts: WarcCounts) -> Iterator[dict[str, Any]]:
    """A record per HTML response of a WARC stream: url, WARC record id and date, and the
    payload under `html_field`. Other records are counted in `counts.skipped`."""
    archive = _optional("warcio.archiveiterator", "warc").ArchiveIterator
    for entry in archive(stream):
        content_type = entry.http_headers.get_header("Content-Type", "") if entry.http_headers else ""
        if entry.rec_type != "response" or not content_type.lower().startswith(HTML_CONTENT_TYPES):
            counts.skipped += 1
            continue
        yield {
            "url": entry.rec_headers.get_header("WARC-Target-URI"),
            "warc_record_id": entry.rec_headers.get_header("WARC-Record-ID"),
            "warc_date": entry.rec_headers.get_header("WARC-Date"),
            html_field: entry.content_stream().read(),
        }


@contextmanager
def open_output(path: Path, suffix: str) -> Iterator[IO[bytes]]:
    """A binary stream writing to `path`, compressed as `suffix` says (.gz, .zst); the file is
    complete and closed when the block ends."""
    with path.open("wb") as raw:
        if suffix == ".gz":
            with gzip.GzipFile(fileobj=raw, mode="wb") as compressed:
                yield compressed  # type: ignore[misc]
        elif suffix == ".zst":
            zstandard = _optional("zstandard", "zstd")
            with zstandard.ZstdCompressor().stream_writer(raw, closefd=False) as compressed:
                yield compressed
        else:
            yield raw


def write_jsonl(records: Iterable[dict[str, Any]], stream: IO[bytes]) -> int:
    """Write records as JSON Lines; returns how many. Bytes values are written as text."""
    written = 0
    for record in records:
        line = json.dumps(record, ensure_ascii=False, default=_jsonable) + "\n"
        stream.write(line.encode("utf-8"))
        written += 1
    return written


def _jsonable(value: object) -> object:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
