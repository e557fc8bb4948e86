"""book/_ext/page_fixes.py on small pages: what it changes, what it leaves, that it warns.

No browser here (these run with the unit tests); the browser tests check the built site.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import page_fixes  # noqa: E402

PAGE = """<!DOCTYPE html>
<html><head>
  <!-- So that users can add custom icons -->
  <script defer src="../_static/scripts/fontawesome.js?digest=abc"></script>
  <link rel="stylesheet" href="../_static/icons.css" />
  <script src="../_static/documentation_options.js?v=1"></script>
  <script src="../_static/doctools.js?v=2"></script>
  <script>let toggleHintShow = 'Click to show';</script>
  <script defer="defer" src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>
  <script type="application/vnd.jupyter.widget-state+json">{"state": {"a": 1}}</script>
  <script src="../_static/searchtools.js"></script>
  <script src="../_static/language_data.js"></script>
  <script src="../searchindex.js"></script>
</head><body>
<button class="btn search-button-field search-button__button pst-js-only" title="Search" \
aria-label="Search" data-bs-toggle="tooltip"><i class="fa-solid fa-magnifying-glass"></i>
<span class="search-button__default-text">Search</span></button>
<details>
<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>
</details>
<script defer src="../_static/scripts/bootstrap.js"></script>
</body></html>"""


def fix(text: str = PAGE, **options) -> tuple[str, str | None, list[str]]:
    kwargs = {"search_page": False, "search_as_you_type": False, "icons_version": "v1"}
    return page_fixes.fix_page(text, "03_rnn_training.html", **{**kwargs, **options})


def test_fix_page_drops_fontawesome_and_the_search_scripts():
    fixed, _, missing = fix()
    assert missing == []
    assert "fontawesome.js" not in fixed and "custom icons" not in fixed
    for name in ("searchtools.js", "language_data.js", "searchindex.js"):
        assert name not in fixed


def test_fix_page_defers_head_scripts_but_documentation_options():
    fixed, _, _ = fix()
    assert '<script src="../_static/documentation_options.js?v=1"></script>' in fixed
    assert '<script defer src="../_static/doctools.js?v=2"></script>' in fixed
    assert "<script>let toggleHintShow" in fixed  # inline scripts cannot be deferred
    head = fixed.split("</head>")[0]
    assert head.count("<script src=") == 1  # documentation_options.js only
    assert '<script defer src="../_static/scripts/bootstrap.js">' in fixed  # body untouched


def test_fix_page_loads_mathjax_after_the_first_paint():
    fixed, _, _ = fix()
    url = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"
    assert f'<script defer="defer" src="{url}">' not in fixed
    assert f'<script data-mathjax-src="{url}">' in fixed and "requestAnimationFrame" in fixed


def test_fix_page_names_match_the_visible_text():
    fixed, _, _ = fix()
    assert 'aria-label="Search"' not in fixed and 'title="Search"' in fixed
    assert "<summary><p>Show code cell source</p></summary>" in fixed


def test_fix_page_moves_the_widget_state_beside_the_page():
    fixed, state, _ = fix()
    assert state == '{"state": {"a": 1}}'
    assert (
        '<script type="application/vnd.jupyter.widget-state+json" '
        'data-src="03_rnn_training.widgets.json"></script>'
    ) in fixed
    assert '{"a": 1}' not in fixed


def test_fix_page_versions_icons_css_and_marks_the_page():
    fixed, _, _ = fix()
    assert 'href="../_static/icons.css?v=v1"' in fixed
    assert fixed.startswith("<!DOCTYPE html>\n<html><head>" + page_fixes.MARK)


def test_fix_page_twice_changes_nothing():
    fixed, _, _ = fix()
    again, state, missing = fix(fixed)
    assert (again, state, missing) == (fixed, None, [])


def test_fix_page_keeps_the_search_page_and_search_as_you_type():
    fixed, _, _ = fix(search_page=True)
    assert "searchtools.js" in fixed and '<script src="../_static/doctools.js' in fixed
    fixed, _, _ = fix(search_as_you_type=True)
    assert '<script defer src="../_static/searchtools.js"></script>' in fixed


def test_fix_page_reports_what_a_new_theme_no_longer_writes():
    bare = "<html><head></head><body></body></html>"
    _, _, missing = fix(bare)
    assert missing == [
        "the theme's fontawesome.js <script>",
        "the three search <script>s (found 0)",
        "a search button with an aria-label",
    ]


def test_fix_page_drops_the_search_buttons_label_in_any_language():
    """The Japanese edition's theme names the button "検索"; that label goes too."""
    fixed, _, missing = fix(PAGE.replace('aria-label="Search"', 'aria-label="検索"'))
    assert 'aria-label="検索"' not in fixed and "a search button with an aria-label" not in missing


# --- icons ---------------------------------------------------------------------------------------

# the shape of the theme's fontawesome.js: packs of name:[width,height,[aliases],"code","path"]
FONTAWESOME_JS = (
    'var p={github:[496,512,[],"f09b","M1 1z"],"square-github":[448,512,[],"f092","M2 2z"]};'
    'd("fab",p);var q={bars:[448,512,["navicon"],"f0c9","M3 3z"],'
    '"magnifying-glass":[512,512,[128269,"search"],"f002","M4 4z"],play:[384,512,[],"f04b","M5"]};'
    'd("fas",q);'
)


def test_icon_paths_reads_each_pack():
    paths = page_fixes.icon_paths(FONTAWESOME_JS)
    assert paths[("fab", "github")] == (496, 512, "M1 1z")
    assert paths[("fas", "magnifying-glass")] == (512, 512, "M4 4z")
    assert ("fas", "github") not in paths and ("fab", "bars") not in paths


def test_icons_used_by_style_and_name():
    pages = ['<i class="fa-solid fa-magnifying-glass fa-lg"></i><i class="fab fa-github"></i>']
    assert page_fixes.icons_used(pages) >= {("fas", "magnifying-glass"), ("fab", "github")}


def test_icons_css_masks_the_wanted_icons_and_no_other():
    paths = page_fixes.icon_paths(FONTAWESOME_JS)
    wanted = {("fab", "github"), ("fas", "magnifying-glass"), ("fas", "lg"), ("fas", "play")}
    css = page_fixes.icons_css(wanted, paths)
    assert ".fa-brands.fa-github::before, .fab.fa-github::before {" in css
    assert "width: 0.9688em" in css  # 496 / 512
    assert ".widget-play .fa.fa-play::before" in css  # the Play widget's icon
    assert "fa-bars" not in css and "fa-lg" not in css
    assert "font-family: inherit" in css  # else the browser fetches the icon font anyway
    assert "M4%204z" in css  # the path, URL-encoded in the SVG data URL
