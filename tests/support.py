"""Constants shared by the tests: paths, the small training set, a sample page."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TRAINING_PAGES = REPO / "training_data" / "pages"
REALPAGES = REPO.parent / "shared" / "realpages"
needs_realpages = pytest.mark.skipif(
    not (REALPAGES / "wcxb").is_dir(), reason="../shared/realpages is not beside this checkout (it is in CI)"
)

# A small, varied training set: every fourth page of ours (about 40 pages, all layouts' kinds
# and languages mixed), enough for a model that knows an article from its frame.
SMALL_TRAINING_SET = [path.name for path in sorted(TRAINING_PAGES.glob("*.html"))[::4]]

ARTICLE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Bridge reopens</title>
<script>var tracking = "should never be a block";</script><style>p {color: red}</style></head>
<body>
<nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
<main><article class="story">
<h1>Harbour bridge reopens after two years of repairs</h1>
<p>The harbour bridge reopened to traffic on Monday morning, two years after engineers closed it
when cracks were found in two of its steel supports, the county council said.</p>
<p>Council leader Maria Okafor said the repairs had cost 14 million pounds, three million more than
planned, because corroded bolts had to be replaced along the whole eastern span.</p>
<p>Join our WhatsApp community for breaking news from the harbour: tap the link below, and you will
get the day's top stories straight to your phone. <a href="https://example.com/join">Join now</a></p>
<p>Bus routes 4 and 17 return to the bridge from next week, and the ferry service that replaced
them during the closure will stop running at the end of the month.</p>
<p>Residents on the eastern shore said the closure had doubled journey times to the hospital,
and several shops near the old ferry landing said trade had fallen by a third.</p>
</article></main>
<footer><p>&copy; 2026 The Harbour Gazette. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/cookies">Cookie settings</a></p></footer>
</body></html>
"""
