"""Turn the bytes of a page into text: declared charset, else UTF-8, else a detector."""

from __future__ import annotations

import codecs
import re

from bs4.dammit import UnicodeDammit

from cleaner.errors import InputError

# Where a <meta charset> or an XML declaration may stand; browsers look at the first 1024 bytes,
# real pages put long <head>s before it, so we look further.
CHARSET_SNIFF_BYTES = 4096
# Share of C0 control characters (besides tab, newline, carriage return, form feed) above which
# decoded text is taken for binary data. Text files have none; random bytes have about 10 %.
MAX_CONTROL_CHAR_SHARE = 0.01
# Share of NUL bytes in the first CHARSET_SNIFF_BYTES up to which they are taken for strays in a
# text page and dropped (a few in 4 KB); random bytes have one in 256, UTF-16 every other byte.
MAX_STRAY_NUL_SHARE = 0.001
# Share of bytes >= 0x80 above which bytes that are neither declared nor UTF-8 are refused
# as undecodable: real pages in legacy encodings are mostly ASCII markup, even in CJK
# encodings, while any detector would turn such bytes into confident-looking garbage.
MAX_UNDECLARED_HIGH_BYTE_SHARE = 0.5

_CHARSET_PATTERN = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_ENCODING_PATTERN = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def declared_charset(data: bytes) -> str | None:
    """Return the codec named by a BOM, XML declaration or <meta charset>, if Python knows it."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:CHARSET_SNIFF_BYTES]
    match = _XML_ENCODING_PATTERN.search(head) or _CHARSET_PATTERN.search(head)
    if match is None:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_bytes(data: bytes) -> str:
    """Decode a document: its declared charset, else UTF-8, else what a detector finds.

    Raises:
        InputError: the bytes are empty, binary, or decode with no charset.
    """
    if not data.strip():
        raise InputError("empty document")
    head = data[:CHARSET_SNIFF_BYTES]
    if b"\x00" in head and declared_charset(data) != "utf-16":
        utf16 = _bom_less_utf16(head)
        if utf16 is not None:
            data = data.decode(utf16, errors="replace").encode("utf-8")
        elif head.count(b"\x00") > MAX_STRAY_NUL_SHARE * len(head):
            raise InputError("binary data (NUL bytes), not a text document")
        else:
            data = data.replace(b"\x00", b"")  # a few stray NULs in a text page
    text = _decode(data)
    check_text(text)
    return text


def _bom_less_utf16(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when every other byte of mostly-ASCII text is NUL, else None."""
    if len(head) < 16:
        return None
    for codec, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if zeros.count(0) > 0.9 * len(zeros):
            return codec
    return None


def check_text(text: str) -> None:
    """Raise InputError for empty text or text that is mostly control characters."""
    if not text.strip():
        raise InputError("empty document")
    sample = text[:65536]
    if len(_CONTROL_CHARS.findall(sample)) > MAX_CONTROL_CHAR_SHARE * len(sample):
        raise InputError("binary data (control characters), not a text document")


def _decode(data: bytes) -> str:
    charset = declared_charset(data)
    for codec in (charset, "utf-8"):
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    # Many real pages declare nothing or lie; decoding as UTF-8 first is right for most of them
    # (FINDINGS.md), and only then do we ask a detector.
    high_bytes = len(data) - len(data.translate(None, bytes(range(128, 256))))
    if high_bytes > MAX_UNDECLARED_HIGH_BYTE_SHARE * len(data):
        raise InputError("undecodable bytes: not UTF-8, no charset declared, mostly non-ASCII")
    detected = UnicodeDammit(data, is_html=True)
    if detected.unicode_markup is None:
        raise InputError("undecodable bytes: not UTF-8 and no charset could be detected")
    if detected.original_encoding and _is_single_byte(detected.original_encoding):
        # Detectors cannot tell the single-byte Latin code pages apart on short pages; the web's
        # default for undeclared pages (HTML standard, most locales) is windows-1252.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return detected.unicode_markup


def _is_single_byte(codec: str) -> bool:
    try:
        return len(bytes(range(0x80, 0x100)).decode(codec, errors="replace")) == 0x80
    except LookupError:
        return False
