"""axe-core's WCAG 2.0/2.1 A and AA violations on every page of the built site, light and dark.

    python benchmarks/site_audit.py [SITE_HTML] [DOCNAME ...]   # failing nodes per page and mode

The same check as the browser tests (tests/site/test_accessibility.py), printed as counts so
that a change can be measured before and after. Widgets are rendered before axe runs.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "site"))
import npm_copies  # noqa: E402
from site_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    SITE_HTML,
    axe_violations,
    serve,
    set_mode,
    toc_pages,
    visit,
)


def main(site_html: Path, pages: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    npm_copies.install_for_site(site_html)
    totals: Counter = Counter()
    print(f"{'page':30} {'light':>6} {'dark':>6}  rules (nodes), light | dark")
    with serve(site_html) as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for docname in pages:
            context = browser.new_context(viewport=DESKTOP)
            page = visit(context, site, docname).page
            counts, rules = {}, {}
            for mode in ("light", "dark"):
                set_mode(page, mode)
                found = axe_violations(page)
                counts[mode] = sum(len(v["nodes"]) for v in found)
                rules[mode] = ", ".join(f"{v['id']} ({len(v['nodes'])})" for v in found)
                totals[mode] += counts[mode]
            context.close()
            print(
                f"{docname:30} {counts['light']:6} {counts['dark']:6}  "
                f"{rules['light'] or '-'} | {rules['dark'] or '-'}"
            )
        browser.close()
    print(f"{'total':30} {totals['light']:6} {totals['dark']:6}")
    return 0


if __name__ == "__main__":
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else SITE_HTML
    # the book's pages and the two the theme adds, as the browser tests check them
    sys.exit(main(site, sys.argv[2:] or [*toc_pages(), "search", "genindex"]))
