"""Helpers shared by the report tests (rendering, papermill, browser)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bs4 import BeautifulSoup

#: What makes a browser fetch something: any src/href/srcset/action/data/poster attribute.
URL_ATTRIBUTES = ("src", "href", "srcset", "action", "data", "poster", "xlink:href")
EXTERNAL = re.compile(r"^\s*(https?:|//|ftp:)", re.IGNORECASE)
CSS_EXTERNAL = re.compile(r"(@import|url\(\s*['\"]?\s*(https?:|//))", re.IGNORECASE)
SECTION_IDS = ["headline", "inspections", "workforce", "demand", "outcomes", "compares", "notes"]
#: The outcomes section (12 indicator blocks, 24 charts with their tables) added about
#: 0.4 MB to a report; issue 12's smaller target is for the chart embedding to meet.
MAX_BYTES = 2_000_000


@contextmanager
def benchmarks_home(path: Path) -> Iterator[Path]:
    """Point BENCHMARKS_HOME (caches, demo data) at `path` for kernels started inside."""
    old = os.environ.get("BENCHMARKS_HOME")
    os.environ["BENCHMARKS_HOME"] = str(path)
    try:
        yield path
    finally:
        if old is None:
            os.environ.pop("BENCHMARKS_HOME", None)
        else:
            os.environ["BENCHMARKS_HOME"] = old


def external_references(page: str) -> list[str]:
    """Every attribute or stylesheet rule in `page` that would load something from outside."""
    soup = BeautifulSoup(page, "html.parser")
    found = []
    for tag in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = tag.get(attribute)
            if isinstance(value, str) and EXTERNAL.match(value):
                found.append(f"<{tag.name} {attribute}={value!r}>")
    for style in soup.find_all("style"):
        found += [m.group(0) for m in CSS_EXTERNAL.finditer(style.get_text())]
    for tag in soup.find_all(style=True):
        found += [m.group(0) for m in CSS_EXTERNAL.finditer(tag["style"])]
    return found


def vega_bundles(page: str) -> int:
    """How many inline scripts carry the Vega bundle (it defines window.bmDraw)."""
    soup = BeautifulSoup(page, "html.parser")
    return sum("window.bmDraw=" in (s.string or "") for s in soup.find_all("script"))
