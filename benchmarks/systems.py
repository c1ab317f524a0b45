"""One extractor over pages, in a process of its own: the worker that `compare.py` starts per system.

    python benchmarks/systems.py SYSTEM < paths.txt > result.json

Reads one HTML path a line from stdin and prints JSON: each page's output text, wall seconds
over all pages after one warm-up page, peak memory, failed pages and library versions. The
process pins itself to one CPU; `compare.py` also sets the BLAS and OpenMP threads to one.

This module imports cleaner only when the system is cleaner, so a peer's peak memory holds no
scikit-learn.
"""

from __future__ import annotations

import functools
import json
import os
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

Extractor = Callable[[bytes], str]

# The distributions whose versions the report names for each system.
DISTRIBUTIONS = {
    "cleaner": ["cleaner", "scikit-learn", "lxml"],
    "trafilatura": ["trafilatura", "lxml"],
    "justext": ["justext", "lxml"],
    "readability": ["readability-lxml", "lxml"],
    "resiliparse": ["resiliparse"],
    "boilerpy3": ["boilerpy3"],
}
# jusText's stop lists by the language code of `<html lang>`; other languages fall back to English.
JUSTEXT_STOPLISTS = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian",
    "it": "Italian", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "nb": "Norwegian_Bokmal",
    "nl": "Dutch", "nn": "Norwegian_Nynorsk", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish",
    "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese",
}  # fmt: skip
HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})""", re.I)
# Elements that start a new paragraph in readability's summary HTML.
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip


def decode(data: bytes) -> str:
    """The page as text for the peers: UTF-8, bad bytes replaced (right for every page in shared/)."""
    return data.decode("utf-8", "replace")


def cleaner_extractor() -> Extractor:
    """cleaner with its bundled model; it takes bytes and decodes them itself."""
    from cleaner import Cleaner

    cleaner = Cleaner()
    return lambda data: cleaner.clean(data, "html").text


def trafilatura_extractor() -> Extractor:
    """trafilatura.extract with its default settings."""
    import trafilatura

    return lambda data: trafilatura.extract(decode(data)) or ""


def justext_extractor() -> Extractor:
    """jusText's non-boilerplate paragraphs, with the stop list of the page's language."""
    import justext

    stoplist = functools.lru_cache(maxsize=None)(justext.get_stoplist)

    def extract(data: bytes) -> str:
        text = decode(data)
        paragraphs = justext.justext(text, stoplist(page_stoplist_name(text)))
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return extract


def page_stoplist_name(text: str) -> str:
    """The jusText stop list for the page's `<html lang>`, English when unknown."""
    match = HTML_LANG.search(text)
    return JUSTEXT_STOPLISTS.get(match.group(1).lower() if match else "en", "English")


def readability_extractor() -> Extractor:
    """readability-lxml's summary HTML, as text with one paragraph per block element."""
    import lxml.html
    from readability import Document

    return lambda data: block_text(lxml.html.fromstring(Document(decode(data)).summary()))


def block_text(root) -> str:
    """The text of an lxml tree, one line per block element, whitespace collapsed."""
    from lxml import etree

    parts = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):  # comments and processing instructions
            if event == "end":
                parts.append(element.tail or "")
            continue
        if element.tag in BLOCK_TAGS:
            parts.append("\n")
        parts.append((element.text or "") if event == "start" else (element.tail or ""))
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def resiliparse_extractor() -> Extractor:
    """Resiliparse's plain text of the main content."""
    from resiliparse.extract.html2text import extract_plain_text

    return lambda data: extract_plain_text(decode(data), main_content=True)


def boilerpy3_extractor() -> Extractor:
    """boilerpy3's ArticleExtractor."""
    from boilerpy3 import extractors

    extractor = extractors.ArticleExtractor()
    return lambda data: extractor.get_content(decode(data))


SYSTEMS: dict[str, Callable[[], Extractor]] = {
    "cleaner": cleaner_extractor,
    "trafilatura": trafilatura_extractor,
    "justext": justext_extractor,
    "readability": readability_extractor,
    "resiliparse": resiliparse_extractor,
    "boilerpy3": boilerpy3_extractor,
}


def pin_to_one_cpu() -> None:
    """Run this process on one CPU only (the first it may use), where the OS allows it."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def peak_memory_mb() -> float:
    """The peak resident memory of this process so far, in MB.

    On Linux this is VmHWM of /proc/self/status: ru_maxrss of a process started by another one
    begins at the starting process's peak (the kernel keeps it across exec), which would put the
    parent's 140 MB of scikit-learn into every peer's figure. Elsewhere, ru_maxrss.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def versions(system: str) -> dict[str, str]:
    """The installed versions of the system's distributions."""
    found = {}
    for name in DISTRIBUTIONS[system]:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "?"
    return found


def run(extract: Extractor, documents: list[bytes]) -> tuple[list[str], float, Counter[str]]:
    """Every page's output, the wall seconds over all pages, and the errors by message.

    A page whose extraction raises gives empty output; one warm-up page runs before the clock.
    """
    try:
        extract(documents[0])
    except Exception:
        pass  # counted below, where it is timed
    outputs = []
    errors: Counter[str] = Counter()
    start = time.perf_counter()
    for data in documents:
        try:
            outputs.append(extract(data))
        except Exception as error:
            outputs.append("")
            errors[f"{type(error).__name__}: {str(error)[:100]}"] += 1
    return outputs, time.perf_counter() - start, errors


def main(argv: list[str] | None = None) -> int:
    """Run the system named in argv over the paths on stdin and print the JSON result."""
    system = (argv if argv is not None else sys.argv[1:])[0]
    pin_to_one_cpu()
    documents = [Path(path).read_bytes() for path in sys.stdin.read().splitlines() if path]
    base_mb = peak_memory_mb()
    try:
        extract = SYSTEMS[system]()
    except ImportError as error:
        print(json.dumps({"system": system, "missing": str(error)}))
        return 0
    outputs, seconds, errors = run(extract, documents)
    result = {
        "system": system,
        "versions": versions(system),
        "seconds": seconds,
        "peak_mb": peak_memory_mb(),
        "base_mb": base_mb,
        "errors": dict(errors),
        "outputs": outputs,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
