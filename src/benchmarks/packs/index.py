"""The pack's index page `<out>/<year>/index.html`: every authority with a report on disk,
its latest Ofsted grade and headline indicators with bands, sortable and filterable.

The page is rendered by the Jinja template `templates/pack/index.html.j2`; this module
builds the rows it shows. `index_key` says when the page must be written again.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks import indicators
from benchmarks.schema import GRADE_RANK

if TYPE_CHECKING:
    import polars as pl

    from benchmarks.panel import Bundle

INDEX_NAME = "index.html"
PACK_TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "pack"


def index_key(
    manifest: dict[str, Any],
    inputs: str,
    *,
    comparator: str,
    groups_file: Path | None,
) -> str:
    """The index page's fingerprint: the manifest's entries, the data, the comparator, the
    groups file (its path and content), and the package's code (this module and the
    index page's template among it)."""
    from benchmarks import cache

    return cache.fingerprint(
        {"groups_file": cache.optional_file(groups_file)},
        result="index",
        reports=manifest["reports"],
        data=inputs,
        comparator=comparator,
        groups_file=str(groups_file),
    )


def index_rows(
    bundle: Bundle,
    table: pl.DataFrame,
    entries: dict[str, dict[str, Any]],
    *,
    year: int,
    hrefs: dict[str, str],
    groups: dict[str, tuple[str, ...]],
) -> list[dict[str, Any]]:
    """One row per authority with a report (`hrefs`): name, region, latest Ofsted grade,
    the catalogue's index columns with band, the groups it belongs to, and a note when its latest
    render failed or its report was built from other data."""
    import polars as pl

    from benchmarks.formatting import DASH, format_value, marker_meaning
    from benchmarks.reports.parts import POLAR_BAND_MEANING, long_date
    from benchmarks.sources.inspections import latest_judgements

    codes = list(hrefs)
    auth = {
        r["la_code"]: r
        for r in bundle.authorities.filter(pl.col("la_code").is_in(codes)).iter_rows(named=True)
    }
    grades = {
        r["la_code"]: r
        for r in latest_judgements(
            bundle.inspections.filter(pl.col("la_code").is_in(codes))
        ).iter_rows(named=True)
    }
    rows = table.filter(
        pl.col("la_code").is_in(codes)
        & pl.col("indicator").is_in(list(indicators.index_columns()))
        & (pl.col("year") <= year)
        & (pl.col("value").is_not_null() | pl.col("status").is_not_null())
    ).unique(["la_code", "indicator", "year"], keep="first", maintain_order=True)
    latest = indicators.latest_rows(rows, by=("la_code", "indicator"))
    cells = {(r["la_code"], r["indicator"]): r for r in latest.iter_rows(named=True)}
    member_of: dict[str, list[str]] = {}
    for name, members in groups.items():
        for code in members:
            member_of.setdefault(code, []).append(name)

    out = []
    for code in codes:
        a = auth.get(code, {})
        name = str(a.get("la_name") or entries[code].get("la_name") or code)
        grade = grades.get(code)
        overall = grade["overall"] if grade else None
        when = None
        if grade:
            when = grade["inspection_date"] or grade["publication_date"]
        row_cells = []
        for indicator in indicators.index_columns():
            cell = cells.get((code, indicator))
            if cell is None:
                row_cells.append(
                    {"text": DASH, "sort": "", "band": "", "title": "no data", "year": None}
                )
                continue
            band = cell["band"] or ""
            meaning = POLAR_BAND_MEANING.get(band, band)
            short = (
                band if band in POLAR_BAND_MEANING else (band.split()[0] if band[:1] == "Q" else "")
            )
            row_cells.append(
                {
                    "text": format_value(cell["value"], cell["status"], indicator),
                    "sort": "" if cell["value"] is None else repr(float(cell["value"])),
                    "band": short,
                    "band_title": meaning,
                    "title": f"{cell['year']}"
                    + (f": {marker_meaning(cell['status'])}" if cell["status"] else "")
                    + (f"; band: {meaning}" if band else ""),
                    "year": cell["year"],
                }
            )
        entry = entries.get(code, {})
        note = ""
        if entry.get("last_error"):
            note = f"Latest render failed ({entry.get('failed_at')}); the report linked is from {entry.get('rendered_at')}."
        out.append(
            {
                "name": name,
                "code": code,
                "region": a.get("region_name") or "",
                "href": hrefs[code],
                "groups_json": json.dumps(sorted(member_of.get(code, []))),
                "grade": overall or ("No overall grade" if grade else "No graded inspection"),
                "grade_rank": GRADE_RANK.get(overall or "", ""),
                "grade_unofficial": grade is not None and not grade["official"],
                "grade_date": long_date(when) if when else "",
                "cells": row_cells,
                "note": note,
            }
        )
    return sorted(out, key=lambda r: (r["name"].casefold(), r["code"]))


def index_page(
    bundle: Bundle,
    table: pl.DataFrame,
    manifest: dict[str, Any],
    *,
    out_dir: Path,
    year: int,
    comparator: str,
    groups: dict[str, tuple[str, ...]],
    generated: datetime | None = None,
) -> str:
    """The index page: every authority in the manifest whose report is on disk, sortable and
    filterable, with links relative to `<out>/<year>/`, the data versions and the time."""
    import jinja2
    import polars as pl

    from benchmarks import indicators
    from benchmarks.groups import BUILTIN_GROUPS

    folder = out_dir / str(int(year))
    entries = manifest["reports"]
    hrefs = {
        code: os.path.relpath(out_dir / e["file"], folder).replace(os.sep, "/")
        for code, e in entries.items()
        if e.get("file") and (out_dir / e["file"]).is_file()
    }
    rows = index_rows(bundle, table, entries, year=year, hrefs=hrefs, groups=groups)
    years = dict(
        (
            (s, (lo, hi))
            for s, lo, hi in bundle.panel.group_by("source")
            .agg(pl.col("year").min().alias("lo"), pl.col("year").max().alias("hi"))
            .iter_rows()
        )
    )
    sources = []
    for s in bundle.meta.get("sources", []):
        span = years.get(s.get("id"))
        sources.append(
            {
                "title": s.get("title", s.get("id")),
                "publisher": s.get("publisher", ""),
                "official": s.get("official", True),
                "file": s.get("file", ""),
                "sha": str(s.get("sha256", ""))[:12],
                "years": f"{span[0]}–{span[1]}" if span else "–",
                "fetched": s.get("fetched_at") or "not recorded (folder supplied)",
            }
        )
    columns = []
    for i, indicator in enumerate(indicators.index_columns()):
        shown = sorted({r["cells"][i]["year"] for r in rows} - {None})
        columns_years = (
            "–".join(str(y) for y in dict.fromkeys([shown[0], shown[-1]])) if shown else ""
        )
        ind = indicators.get(indicator)
        columns.append(
            {"label": ind.label, "unit": ind.unit + (f", {columns_years}" if columns_years else "")}
        )
    when = generated or datetime.now(UTC)
    comparator_text = BUILTIN_GROUPS.get(comparator, f"the named group {comparator}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(PACK_TEMPLATES), str(PACK_TEMPLATES.parent)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    demo = bool(bundle.meta.get("demo"))
    title = f"Children's social care benchmarks: authority reports, {year}"
    return env.get_template("index.html.j2").render(
        title=title + (" (demonstration data)" if demo else ""),
        demo=demo,
        year=year,
        comparator=comparator_text,
        generated=f"{when:%d %B %Y at %H:%M} UTC".lstrip("0"),
        data_dir=str(bundle.meta.get("data_dir", "")),
        regions=sorted({r["region"] for r in rows if r["region"]}),
        groups=sorted({g for r in rows for g in json.loads(r["groups_json"])}),
        columns=columns,
        rows=rows,
        sources=sources,
        css=(PACK_TEMPLATES / "index.css").read_text(encoding="utf-8"),
        script=(PACK_TEMPLATES / "index.js").read_text(encoding="utf-8"),
    )


def write_index(
    path: Path,
    bundle: Bundle,
    table: pl.DataFrame,
    manifest: dict[str, Any],
    *,
    out_dir: Path,
    year: int,
    comparator: str,
    groups: dict[str, tuple[str, ...]],
) -> None:
    """Write the index page atomically."""
    from benchmarks import atomic

    page = index_page(
        bundle,
        table,
        manifest,
        out_dir=out_dir,
        year=year,
        comparator=comparator,
        groups=groups,
    )
    atomic.write_text(path, page)
