"""Plain-English findings from the comparison table, with the numbers behind them.

Sentences follow what an LA director would write, e.g. "Social worker turnover was
24.3% in 2025, higher than statistical neighbours in the 2025 model (median 15.1%) and in
the highest quarter nationally. The difference is larger than chance alone would
explain." Rules:

* Higher / lower and the national quarter are stated as positions ("highest quarter"),
  never as better / worse. Whether a position is good is carried by `kind`
  ("strength" / "concern") and only for indicators with a direction; indicators with
  no direction are always "context".
* "Larger than chance alone would explain" appears only when `significant` is True; when
  it is False the sentence says the difference is within what chance could explain, and
  the finding is "context", not a strength or concern. With no interval, nothing is said.
* A value that is not published names why ("not published: suppressed to protect
  confidentiality", ...); every status marker has its own wording
  (`formatting.STATUS_TEXT`).
* Measures (%, rates, caseloads) read "Social worker turnover was 24.3% in 2025"; counts
  read "Referrals: 10,304 referrals in 2025" (labels such as "Referrals" are plural).
* Numbers are written by `formatting.format_number(..., unit=True)`: rounded half up to
  the indicator's decimals, with its unit.

**Score** (`score`): the percentage difference from the comparator in the better
direction, `100 * (comparator - value) / |comparator|` when lower is better and
`100 * (value - comparator) / |comparator|` when higher is better. Positive = better
than the comparator. Null for neutral indicators, missing values or comparators, and a
zero comparator. `strengths_and_concerns` ranks findings by whether the difference is
significant (True first), then by the size of the score.
"""

from __future__ import annotations

import difflib
from typing import Any

import polars as pl

from benchmarks import indicators
from benchmarks.errors import UnknownAuthorityError
from benchmarks.formatting import STATUS_TEXT, format_number

NOT_AVAILABLE = "not available"
KINDS = ("strength", "concern", "context", "suppressed")
METHOD_WORDS = {"median": "median", "mean": "average", "pooled": "pooled rate"}
#: Units of a measure ("turnover was 24.3%"); other units are counts ("Referrals: 10,304 referrals").
MEASURE_UNITS = {"%", "cases per FTE", "working days"}
#: The national quarter a band places a value in, by polarity (a position, not a judgement).
QUARTERS = ("lowest", "second-lowest", "second-highest", "highest")
BAND_POSITION = {
    "lower_better": dict(zip("ABCD", QUARTERS, strict=True)),
    "higher_better": dict(zip("ABCD", reversed(QUARTERS), strict=True)),
    "neutral": dict(
        zip(
            ("Q1 lowest", "Q2 lower middle", "Q3 upper middle", "Q4 highest"), QUARTERS, strict=True
        )
    ),
}
SIGNIFICANT = "The difference is larger than chance alone would explain."
NOT_SIGNIFICANT = "The difference is within what chance alone could explain."

FINDINGS_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,
        "la_name": pl.String,
        "group": pl.String,
        "indicator": pl.String,
        "label": pl.String,
        "year": pl.Int32,
        "kind": pl.String,
        "score": pl.Float64,
        "sentence": pl.String,
        "value": pl.Float64,
        "comparator": pl.Float64,
        "comparator_method": pl.String,
        "significant": pl.Boolean,
        "band": pl.String,
        "unit": pl.String,
        "highlight": pl.Boolean,
    }
)


def findings(
    comparison: pl.DataFrame, la: str | None = None, *, year: int | None = None, top: int = 3
) -> pl.DataFrame:
    """One plain-English finding per authority x group x indicator, with its numbers.

    `la` (name or 3-digit code, any case) picks one authority; by default every one in
    the table. `year` picks a year; by default each indicator's latest year per authority.
    `highlight` marks the `top` strengths and `top` concerns per authority and group (see
    the module's note on the score); every finding is returned. Sorted by authority,
    group, kind (strength, concern, context, suppressed), then significant first and the
    size of the score.
    """
    rows = [_finding(row) for row in _select(comparison, la, year).iter_rows(named=True)]
    out = pl.DataFrame(rows, schema={k: v for k, v in FINDINGS_SCHEMA.items() if k != "highlight"})
    return _rank(out, top)


def strengths_and_concerns(
    comparison: pl.DataFrame, la: str | None = None, *, year: int | None = None, top: int = 3
) -> pl.DataFrame:
    """The `top` strengths and `top` concerns per authority and group: the highlighted
    findings (see the module's note on the score)."""
    return findings(comparison, la, year=year, top=top).filter(pl.col("highlight"))


def _select(comparison: pl.DataFrame, la: str | None, year: int | None) -> pl.DataFrame:
    rows = comparison
    if la is not None:
        rows = rows.filter(pl.col("la_code") == _resolve(comparison, la))
    if year is not None:
        return rows.filter(pl.col("year") == year)
    return indicators.latest_rows(rows, by=("la_code", "group", "indicator"))


def _resolve(comparison: pl.DataFrame, query: str) -> str:
    """The la_code in the table for a name or code (name matching as the authorities table)."""
    from benchmarks.geography import name_key

    names = dict(comparison.select("la_code", "la_name").unique().iter_rows())
    text = query.strip()
    if text in names:
        return text
    by_key = {name_key(name): code for code, name in names.items() if name}
    key = name_key(text)
    if key in by_key:
        return by_key[key]
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
    raise UnknownAuthorityError(query, [names[by_key[k]] for k in close])


def _finding(row: dict[str, Any]) -> dict[str, Any]:
    ind = indicators.catalogue().get(row["indicator"])
    label = ind.label if ind else row["indicator"]
    polarity = ind.polarity if ind else "neutral"
    out = {
        key: row.get(key)
        for key in (
            "la_code",
            "la_name",
            "group",
            "indicator",
            "year",
            "value",
            "comparator",
            "comparator_method",
            "significant",
            "band",
        )
    }
    out |= {"label": label, "unit": ind.unit if ind else None, "score": None}
    if row["value"] is None:
        why = STATUS_TEXT.get(row.get("status") or "", NOT_AVAILABLE)
        return out | {"kind": "suppressed", "sentence": f"{label} in {row['year']} was {why}."}
    text = _sentence(row, label, polarity)
    score = _score(row, polarity)
    same = row["comparator"] is not None and _shown(row["value"], row["indicator"]) == _shown(
        row["comparator"], row["indicator"]
    )
    if score is None or same or row["significant"] is False or score == 0:
        kind = "context"
    else:
        kind = "strength" if score > 0 else "concern"
    return out | {"kind": kind, "score": score, "sentence": text}


def _sentence(row: dict[str, Any], label: str, polarity: str) -> str:
    ind_id = row["indicator"]
    value = _shown(row["value"], ind_id)
    unit = indicators.catalogue()[ind_id].unit if ind_id in indicators.catalogue() else ""
    verb = " was" if unit in MEASURE_UNITS or unit.startswith("per ") else ":"
    parts = [f"{label}{verb} {value} in {row['year']}"]
    comparator = row["comparator"]
    group = row.get("group_label") or "the comparator group"
    if comparator is not None:
        shown = _shown(comparator, ind_id)
        side = (
            "the same as"
            if shown == value
            else ("higher than" if row["value"] > comparator else "lower than")
        )
        method = METHOD_WORDS.get(
            row.get("comparator_method") or "", row.get("comparator_method") or ""
        )
        parts.append(f", {side} {group} ({method} {shown})")
    quarter = _quarter(row.get("band"), polarity)
    if quarter:
        parts.append(f"{' and' if comparator is not None else ','} {quarter}")
    sentence = "".join(parts) + "."
    if comparator is None:
        sentence += f" There is no comparator value for {group}."
    elif row.get("significant") is True:
        sentence += " " + SIGNIFICANT
    elif row.get("significant") is False:
        sentence += " " + NOT_SIGNIFICANT
    return sentence + _trend(row, label, polarity)


def _quarter(band: str | None, polarity: str) -> str:
    if band is None:
        return ""
    if band == "too small to band":
        return "with national values too close together to place it in a quarter"
    position = BAND_POSITION.get(polarity, BAND_POSITION["neutral"]).get(band)
    return f"in the {position} quarter nationally" if position else ""


def _trend(row: dict[str, Any], label: str, polarity: str) -> str:
    change, direction = row.get("change_1y"), row.get("direction_1y")
    text = ""
    if change is not None and direction is not None:
        before = _shown(row["value"] - change, row["indicator"])
        previous = row["year"] - 1
        if direction == "no change":
            text = f" It was unchanged from {previous}."
        else:
            text = f" It {direction} from {before} in {previous}."
    if "series_break" in (row.get("flags") or ""):
        text += f" Figures before {row['year']} are not fully comparable (a series break)."
    return text + _recent_trend(row)


def _recent_trend(row: dict[str, Any]) -> str:
    """The recent-trend sentence (trend.py columns); nothing when no test applies."""
    words = row.get("recent_trend")
    if not words or words == "cannot be calculated":
        return ""
    text = f" Recent trend ({row['trend_from']} to {row['year']}): {words}."
    if row.get("worse_and_worsening"):
        group = row.get("group_label") or "the comparator group"
        text += f" It is significantly worse than {group} and getting worse."
    return text


def _score(row: dict[str, Any], polarity: str) -> float | None:
    value, comparator = row["value"], row["comparator"]
    if polarity == "neutral" or value is None or comparator is None or comparator == 0:
        return None
    sign = -1.0 if polarity == "lower_better" else 1.0
    return sign * 100.0 * (value - comparator) / abs(comparator)


def _rank(out: pl.DataFrame, top: int) -> pl.DataFrame:
    """Sort, and highlight the `top` strengths and concerns per authority and group."""
    by = ["la_code", "group"]
    strength = pl.col("score").abs()
    order = pl.col("kind").replace_strict(
        {k: i for i, k in enumerate(KINDS)}, return_dtype=pl.Int32
    )
    ranked = out.with_columns(
        _order=order,
        _sig=pl.col("significant").fill_null(False).not_(),
        _size=-strength.fill_null(0.0),
    ).sort([*by, "_order", "_sig", "_size", "indicator"])
    # A headcount variant restates its FTE measure: it never takes a highlight slot.
    variants = [i.id for i in indicators.catalogue().values() if i.variant_of]
    eligible = pl.col("kind").is_in(["strength", "concern"]) & ~pl.col("indicator").is_in(variants)
    ranked = ranked.with_columns(
        _n=pl.when(eligible).then(pl.int_range(pl.len()).over([*by, "kind", eligible]))
    )
    highlight = eligible & (pl.col("_n") < top)
    return ranked.with_columns(highlight=highlight).select(FINDINGS_SCHEMA.names())


def _shown(value: float, indicator: str) -> str:
    """A number as a sentence says it, with its unit (see `formatting.format_number`)."""
    return format_number(value, indicator, unit=True)
