"""Local copies of the CDN files the built site loads, installed from the npm registry.

The pages load require.js and the widget manager from CDNs, which a test machine may not
reach (and a test should not depend on). Each CDN URL names an npm package and version, so
the browser tests serve the same file from `npm install --prefix _build/npm/<pkg>@<version>`:
installed at test time, never committed.

    python tests/site/npm_copies.py [SITE_HTML]   # install every copy the built pages name
"""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
NPM_DIR = ROOT / "_build" / "npm"

# https://cdn.jsdelivr.net/npm/<pkg>@<version>/<path> and the same shape on unpkg
_NPM_URL = re.compile(r"^/(?:npm/)?((?:@[^/@]+/)?[^/@]+)@([^/]+)/(.+)$")
_NPM_HOSTS = {"cdn.jsdelivr.net": "/npm/", "unpkg.com": "/"}
# A CDN file a page loads, or names for its widget loader to load (data-require=...). Only
# npm mirrors: their files are the npm package's, byte for byte, so an `integrity` pin can be
# checked against the npm copy. (cdnjs serves its own minified builds, which no test can check.)
_CDN_HOSTS = r"cdn\.jsdelivr\.net|unpkg\.com"
_CDN_SRC = re.compile(rf'\b(?:src|href|data-[a-z-]+)="(https://(?:{_CDN_HOSTS})/[^"]+)"')


def npm_package(url: str) -> tuple[str, str, str] | None:
    """The (package, version, path in package) a CDN URL stands for, or None if it is not one."""
    parts = urlsplit(url)
    if parts.hostname in _NPM_HOSTS and parts.path.startswith(_NPM_HOSTS[parts.hostname]):
        if match := _NPM_URL.match(parts.path):
            return match.group(1), match.group(2), match.group(3)
    return None


def _prefix(package: str, version: str) -> Path:
    """The `npm install --prefix` folder of one package version (each version in its own)."""
    return NPM_DIR / f"{package.replace('/', '+')}@{version}"


def package_dir(package: str, version: str) -> Path:
    """The folder holding package@version's files once installed."""
    return _prefix(package, version) / "node_modules" / package


def ensure(package: str, version: str) -> Path:
    """Install package@version from the npm registry unless it is there; return its folder.

    Safe from several processes at once (the browser tests' pytest-xdist workers): the first
    installs while the others wait on a lock file, then find the package there.
    """
    target = package_dir(package, version)
    if (target / "package.json").is_file():
        return target
    prefix = _prefix(package, version)
    prefix.mkdir(parents=True, exist_ok=True)
    with open(prefix.with_name(prefix.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (target / "package.json").is_file():
            _install(package, version)
    return target


def _install(package: str, version: str) -> None:
    target = package_dir(package, version)
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm not found: the browser tests serve CDN files from npm packages. "
            "Install Node.js and npm (Debian: apt-get install -y npm) and run again."
        )
    prefix = _prefix(package, version)
    quiet = ["--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error"]
    cmd = [
        npm,
        "install",
        "--prefix",
        str(prefix),
        *quiet,
        "--ignore-scripts",
        f"{package}@{version}",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (target / "package.json").is_file():
        raise RuntimeError(f"`{' '.join(cmd)}` failed:\n{done.stderr[-2000:]}")


def local_file(url: str) -> Path | None:
    """The installed file that stands in for a CDN URL (installing its package if needed)."""
    found = npm_package(url)
    if found is None:
        return None
    package, version, path = found
    return ensure(package, version) / path


def cdn_urls(site_html: Path) -> set[str]:
    """Every CDN URL the built pages load (src=, href=) or name for a script (data-...=)."""
    urls: set[str] = set()
    for page in site_html.rglob("*.html"):
        urls.update(_CDN_SRC.findall(page.read_text(encoding="utf-8", errors="replace")))
    return urls


def install_for_site(site_html: Path) -> list[str]:
    """Install the packages behind every CDN URL in the built site; return them as pkg@version."""
    wanted = sorted({found[:2] for url in cdn_urls(site_html) if (found := npm_package(url))})
    for package, version in wanted:
        ensure(package, version)
    return [f"{package}@{version}" for package, version in wanted]


if __name__ == "__main__":
    html = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "html"
    if not html.is_dir():
        sys.exit(f"{html} not found: build the book first (make book).")
    print("npm copies in", NPM_DIR.relative_to(ROOT), ":", ", ".join(install_for_site(html)))
