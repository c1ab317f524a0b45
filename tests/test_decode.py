"""Decoding the bytes of a page."""

from __future__ import annotations

import codecs

import pytest

from cleaner.decode import declared_charset, decode_bytes
from cleaner.errors import InputError


def test_declared_charset_is_used():
    data = '<html><head><meta charset="windows-1252"></head><body><p>café</p></body></html>'.encode("cp1252")
    assert declared_charset(data) == "cp1252"
    assert "café" in decode_bytes(data)


def test_utf8_is_tried_before_a_detector():
    data = "<p>Grüße aus Köln — naïve café</p>".encode()
    assert decode_bytes(data) == "<p>Grüße aus Köln — naïve café</p>"


def test_undeclared_legacy_bytes_fall_back_to_a_detector():
    data = ("<p>" + "Les élèves ont étudié à l'école française. " * 20 + "</p>").encode("latin-1")
    assert "élèves" in decode_bytes(data)


def test_a_lying_declaration_falls_back_to_utf8():
    data = '<meta charset="ascii"><p>naïve</p>'.encode()
    assert "naïve" in decode_bytes(data)


def test_boms_decide_the_encoding():
    assert decode_bytes(codecs.BOM_UTF8 + b"<p>x</p>") == "<p>x</p>"
    assert "<p>ü</p>" in decode_bytes("<p>ü</p>".encode("utf-16"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\x00\x01\x02binary\x00" * 10, "binary"),
        (bytes(range(1, 32)) * 40, "binary"),
        (bytes(range(0x80, 0x100)) * 4, "undecodable"),
    ],
)
def test_bad_bytes_are_refused(data: bytes, message: str):
    with pytest.raises(InputError, match=message):
        decode_bytes(data)
