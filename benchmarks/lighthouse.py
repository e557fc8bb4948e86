"""Lighthouse performance of the built site's pages, mobile and desktop, served as a host would.

    python benchmarks/lighthouse.py [--runs 3] [--pages notebooks/03_rnn_training ...]
                                    [--site _build/html] [--json out.json] [--read]
                                    [--reports DIR]

Each page is measured `--runs` times per form factor (Lighthouse's default mobile profile:
simulated slow 4G and a 4x slower CPU; and its desktop preset); the table gives medians. The
pages are served by benchmarks/site_server.py (gzip, cache headers, CDN files from npm copies
on a second origin). Lighthouse comes from the npm registry into _build/npm, like the other
JavaScript the tests fetch, and drives Debian's Chromium. Timings depend on the machine's
load: the load average is printed with the figures.

Lighthouse sees a page as it first opens. --read also prints what a reader who scrolls to the
end downloads (widgets included, which load only near the screen): bytes as transferred
(compressed), from a fresh browser cache, with Playwright and the same server.

--reports keeps each run's whole Lighthouse report (JSON) in a folder, for its diagnostics:
bootup-time, mainthread-work-breakdown, render-blocking-resources, unused-javascript, ...
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "site"))
import npm_copies  # noqa: E402
import site_server  # noqa: E402
from site_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    SITE_HTML,
    japanese_pages,
    toc_pages,
)

LIGHTHOUSE = ("lighthouse", "12.8.2")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
# audit id -> (column, unit scale)
METRICS = {
    "first-contentful-paint": ("FCP s", 1e-3),
    "largest-contentful-paint": ("LCP s", 1e-3),
    "total-blocking-time": ("TBT ms", 1),
    "speed-index": ("SI s", 1e-3),
    "cumulative-layout-shift": ("CLS", 1),
    "total-byte-weight": ("kB", 1e-3),
}


def run_once(url: str, form: str, keep: Path | None = None) -> dict[str, float]:
    """One Lighthouse run (form 'mobile' or 'desktop'): score and metrics.

    keep: a file to copy the whole report to.
    """
    cli = npm_copies.ensure(*LIGHTHOUSE) / "cli" / "index.js"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [
            "node",
            str(cli),
            url,
            "--quiet",
            "--only-categories=performance",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={CHROME_FLAGS}",
            *(["--preset=desktop"] if form == "desktop" else []),
        ]
        env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not out.is_file():
            raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
        report = json.loads(out.read_text())
        if keep is not None:
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.write_text(out.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse on {url}: {report['runtimeError']}")
    result = {"score": round(100 * report["categories"]["performance"]["score"])}
    for audit, (column, scale) in METRICS.items():
        result[column] = report["audits"][audit]["numericValue"] * scale
    result["requests"] = len(report["audits"]["network-requests"]["details"]["items"])
    return result


_SCROLL_TO_END = """async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
    window.scrollTo(0, y);
    await sleep(100);
  }
}"""


def transferred_when_read(base: str, pages: list[str]) -> dict[str, tuple[int, int]]:
    """(bytes, requests) each page transfers when a reader scrolls it to the end."""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for page_name in pages:
            context = browser.new_context(viewport=PHONE)
            found[page_name] = _read_to_the_end(context.new_page(), f"{base}/{page_name}.html")
            context.close()
        browser.close()
    return found


def _read_to_the_end(page: Page, url: str) -> tuple[int, int]:
    requests: list[Request] = []

    def record(request: Request) -> None:  # not requests.append: Playwright sets an attribute
        requests.append(request)  # on each handler, which a builtin method cannot take

    page.on("requestfinished", record)
    page.goto(url, wait_until="load")
    page.evaluate(_SCROLL_TO_END)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    sizes = [r.sizes() for r in requests]
    return sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes), len(sizes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--site",
        type=Path,
        action="append",
        help="a built site (default _build/html); give two, e.g. a build from before a change "
        "and one from after, and their runs alternate, so that both meet the same machine load",
    )
    parser.add_argument("--runs", type=int, default=3, help="0: only --read")
    parser.add_argument(
        "--pages", nargs="*", help="docnames; default every notebook chapter of both editions"
    )
    parser.add_argument("--forms", nargs="*", default=["mobile", "desktop"])
    parser.add_argument("--json", type=Path, help="also write every run here")
    parser.add_argument("--read", action="store_true", help="bytes a reader who scrolls gets")
    parser.add_argument("--reports", type=Path, help="a folder to keep every run's report in")
    args = parser.parse_args()
    sites = args.site or [SITE_HTML]
    every = toc_pages() + japanese_pages()
    pages = args.pages or [p for p in every if (ROOT / f"{p}.ipynb").is_file()]
    columns = ["score", *(c for c, _ in METRICS.values()), "requests"]
    runs: dict[str, list[dict]] = {}
    loads = [os.getloadavg()[0]]
    with contextlib.ExitStack() as stack:
        bases = {site: stack.enter_context(site_server.serve(site)) for site in sites}
        for site, base in bases.items():
            if args.read:
                for page, (total, count) in transferred_when_read(base, pages).items():
                    print(f"{site}: {page} read to the end: {total / 1e3:.1f} kB, {count} requests")
        for page in pages if args.runs else []:
            for form in args.forms:
                for n in range(args.runs):
                    for i, (site, base) in enumerate(bases.items()):
                        key = f"{site} {page} {form}"
                        keep = None
                        if args.reports:
                            name = f"{page.replace('/', '_')}-{form}-site{i}-run{n}.json"
                            keep = args.reports / name
                        runs.setdefault(key, []).append(run_once(f"{base}/{page}.html", form, keep))
                    loads.append(os.getloadavg()[0])
    for site in sites if args.runs else []:
        print(f"\n{site}: medians of {args.runs} runs")
        print(f"{'page':30} {'form':8} " + " ".join(f"{c:>8}" for c in columns))
        for key, found in runs.items():
            if not key.startswith(f"{site} "):
                continue
            page, form = key.split()[-2:]
            median = {c: statistics.median(r[c] for r in found) for c in columns}
            scores = "/".join(str(r["score"]) for r in found)
            print(
                f"{page:30} {form:8} "
                + " ".join(f"{median[c]:8.2f}" for c in columns)
                + f"   (scores {scores})"
            )
    print(f"\nload average (1 min) during the runs: {min(loads):.1f} to {max(loads):.1f}")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
