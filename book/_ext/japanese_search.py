"""Japanese search on the Japanese site: a query cut into the words the index holds.

With ``language = "ja"`` Sphinx indexes Japanese text cut into words by its built-in splitter
(a port of TinySegmenter): "隠れ状態を" is indexed as 隠れ, 状態. The search page, though, cuts
a query only at spaces and punctuation, so "隠れ状態" is looked up whole, is not in the index,
and finds nothing; a reader would have to type "隠れ 状態". Sphinx lets a search language bring
its own query splitter in JavaScript (``js_splitter_code``): this one cuts each Japanese run of
the query into the fewest words that the index knows (a word-break search over the index's
terms, up to 12 characters a word), so the query is split the way the pages were. Single
characters are left out of the query, as the indexer leaves them out of the index (its
``word_filter``): 時系列データ, which the splitter cut into 時系 | 列 | データ, is looked
up as 時系, データ. A run that indexed words do not make up keeps its unknown pieces, and
finds nothing.

Sphinx 7.4's Japanese catalog also leaves the search page's closing line empty ("Search
finished, found N page(s) ..." translates to ""), so the page never says how many pages it
found; the built translations.js gets that one line in Japanese.

Registered by the Japanese edition's ``ja/_config.yml`` (``make ja`` writes it).
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search.ja import SearchJapanese

SPLITTER_JS = r"""
/* book/_ext/japanese_search.py: split a Japanese query into the index's own words */
function splitQuery(query) {
  const parts = query
    .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
    .filter((term) => term);
  const index = (typeof Search !== "undefined" && Search._index) || {};
  const known = (word) =>
    (index.terms && word in index.terms) || (index.titleterms && word in index.titleterms);
  const japanese = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/u;
  const words = [];
  for (const part of parts) {
    if (known(part) || !japanese.test(part)) {
      words.push(part);
      continue;
    }
    // best[i]: the fewest pieces that make up part[0:i], each a known word or one character
    const best = [[]];
    for (let end = 1; end <= part.length; end++) {
      for (let start = Math.max(0, end - 12); start < end; start++) {
        const word = part.slice(start, end);
        if (!best[start] || !(known(word) || end - start === 1)) continue;
        const pieces = best[start].concat([word]);
        if (!best[end] || pieces.length < best[end].length) best[end] = pieces;
      }
    }
    // one character alone is never indexed (Sphinx drops it: word_filter), so it is no query
    words.push(...best[part.length].filter((word) => word.length > 1));
  }
  return words;
}
"""


class BookSearchJapanese(SearchJapanese):
    """Sphinx's Japanese search, with a query splitter that knows the index's words."""

    js_splitter_code = SPLITTER_JS


FINISHED = "Search finished, found ${resultCount} page(s) matching the search query."
FINISHED_JA = "検索が終わり、${resultCount} ページが見つかった。"


def _fill_the_empty_summary(app: Sphinx, exception: Exception | None) -> None:
    """Give Sphinx's empty Japanese "search finished" line its words (see the docstring)."""
    path = Path(app.outdir) / "_static" / "translations.js"
    if exception is not None or app.config.language != "ja" or not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    empty = f'{json.dumps(FINISHED)}: ""'
    if empty in text:
        path.write_text(text.replace(empty, f"{json.dumps(FINISHED)}: {json.dumps(FINISHED_JA)}"))


def setup(app: Sphinx) -> dict:
    app.add_search_language(BookSearchJapanese)
    app.connect("build-finished", _fill_the_empty_summary)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
