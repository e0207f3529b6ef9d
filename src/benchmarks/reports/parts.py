"""What every report kind says the same way: band meanings, dates, what each indicator
means (data notes' definitions), the table of source files and a marker in words. Pure:
frames and catalogue entries in, plain values or section-model parts out."""

from __future__ import annotations

from datetime import date

import polars as pl

from benchmarks import formatting, indicators
from benchmarks.panel import Bundle
from benchmarks.reports import model

POLAR_BAND_MEANING = {
    "A": "best quarter of authorities",
    "B": "second-best quarter",
    "C": "second-worst quarter",
    "D": "worst quarter of authorities",
}
POLARITY_TEXT = {
    "lower_better": "Lower is better.",
    "higher_better": "Higher is better.",
}
NEUTRAL_TEXT = "Neither higher nor lower is better in itself."


def long_date(value: date | None) -> str:
    """'30 June 2025' (or 'date not known')."""
    return f"{value.day} {value:%B %Y}" if value else "date not known"


def sentence_case(text: str) -> str:
    """The text with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def definitions(shown: list[str] | tuple[str, ...]) -> tuple[model.Definition, ...]:
    """What each indicator shown means, once each, in the order shown (for data notes)."""
    out = []
    for ind_id in dict.fromkeys(shown):
        ind = indicators.get(ind_id)
        out.append(
            model.Definition(
                label=ind.label,
                unit=ind.unit,
                definition=ind.definition,
                reference_date=ind.reference_date,
                polarity=POLARITY_TEXT.get(ind.polarity, NEUTRAL_TEXT),
            )
        )
    return tuple(out)


def source_table(bundle: Bundle) -> model.DataTable:
    """The files a report was built from: title, publisher, file, sha256, years, download."""
    years = dict(bundle.panel.group_by("source").agg(pl.col("year").max()).iter_rows())
    rows: list[tuple[model.Cell, ...]] = []
    for s in bundle.meta.get("sources", []):
        status = (
            "official statistics"
            if s.get("official", True)
            else "unofficial, not an official statistic"
        )
        rows.append(
            (
                (str(s["title"]), f"{s['publisher']}; {status}"),
                (str(s["file"]), f"sha256 {str(s.get('sha256', ''))[:16]}"),
                f"to {years[s['id']]}" if s["id"] in years else "–",
                str(s.get("fetched_at") or "not recorded (folder supplied)"),
            )
        )
    return model.DataTable(
        caption="Files this report was built from",
        headers=("Source", "File", "Data years", "Downloaded"),
        rows=tuple(rows),
    )


def marker_words(status: str) -> str:
    """A marker with what it means, e.g. 'k (a value that rounds to zero but is not zero)'."""
    return f"{status} ({formatting.marker_meaning(status)})"


def label_with_unit(indicator: str) -> str:
    try:
        return indicators.label_with_unit(indicator)
    except KeyError:
        return indicator
