"""How numbers and markers are written: decimals, half-up rounding and marker wording.

The one home of these rules; tables, findings, charts, reports and the pack index all
call it.

* Decimals: the catalogue's `decimals`, else 1 for %, FTE, cases per FTE, days and rates
  "per ...", else 0 (`decimals_for`).
* Rounding: half up, away from zero, on the decimal written, as the publishers round
  (11.35 -> 11.4, `round_half_up`).
* A suppressed or missing value is written as its marker (c, x, z, u, low, k or
  "missing"), never as 0 and never as a blank (`format_value`). What each marker means is
  `MARKERS` (a phrase) and `STATUS_TEXT` (how a sentence says it).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from benchmarks import indicators

#: Status markers used by DfE/ONS (GSS symbols) and what each means. A marker means the
#: value is null. `k` is used by the outcome files.
MARKERS: dict[str, str] = {
    "c": "suppressed to protect confidentiality",
    "x": "not available (not collected, not submitted or withheld for data quality)",
    "z": "not applicable",
    "u": "low reliability, withheld",
    "low": "a positive value that rounds to zero",
    "missing": "the cell was empty in the published file",
    "k": "a value that rounds to zero but is not zero",
}
#: How each status marker is said in a findings sentence ("... in 2025 was <text>.").
STATUS_TEXT: dict[str, str] = {
    "c": "not published: suppressed to protect confidentiality",
    "x": "not available: not collected, not submitted or withheld for data quality",
    "z": "not applicable",
    "u": "not published: withheld by the publisher as of low reliability",
    "low": "a positive figure too small to show (it rounds to zero)",
    "missing": "not published: the cell was empty in the published file",
    "k": "a figure too small to show (it rounds to zero but is not zero)",
}
#: The comparison table's note on markers.
MARKER_NOTE = (
    "Markers as published: c suppressed, x not available, z not applicable, "
    "u low reliability, low and k round to zero (but are not zero), missing an empty cell. "
    "A marker is never counted as 0."
)
#: The grades as charts and sentences say them ("Requires improvement" without "to be good").
SHORT_GRADES = {
    "Outstanding": "Outstanding",
    "Good": "Good",
    "Requires improvement to be good": "Requires improvement",
    "Inadequate": "Inadequate",
}
#: The four ILACS sub-judgements: the inspections table's column and what a page calls it.
SUB_JUDGEMENTS = {
    "leaders": "Leadership",
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
}
DASH = "–"  # a figure that does not exist (no comparator, no change): never a 0
#: Units shown with one decimal place when the catalogue sets none (and rates "per ...").
ONE_DECIMAL_UNITS = frozenset({"%", "FTE", "cases per FTE", "days"})
#: Units shown as a bare number after the value: the label already says "(headcount)".
COUNT_ONLY_UNITS = frozenset({"headcount"})


def marker_meaning(status: str) -> str:
    """What a marker means ('suppressed to protect confidentiality'), or 'marker'."""
    return MARKERS.get(status, "marker")


def _unit_and_decimals(indicator: str) -> tuple[str, int]:
    ind = indicators.catalogue().get(indicator)
    unit = ind.unit if ind else ""
    if ind is not None and ind.decimals is not None:
        return unit, ind.decimals
    return unit, (1 if unit in ONE_DECIMAL_UNITS or unit.startswith("per ") else 0)


def decimals_for(indicator: str) -> int:
    """Decimal places shown for an indicator: the catalogue's, else 1 for %, FTE, cases per
    FTE, days and rates "per ...", else 0 (0 for an id not in the catalogue)."""
    return _unit_and_decimals(indicator)[1]


def d3_format(indicator: str) -> str:
    """The same decimals as a d3/Vega number format (',.1f'), for chart tooltips and labels."""
    return f",.{decimals_for(indicator)}f"


def round_half_up(value: float, places: int) -> float:
    """Round as the publishers do: halves away from zero, on the decimal written (11.35 -> 11.4)."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def format_number(
    value: float | None, indicator: str, *, signed: bool = False, unit: bool = False
) -> str:
    """A number with the indicator's decimals, rounded half up.

    By default with the short unit a table uses ('7.0%', '412.3', '+1.2 pts'); with
    `unit=True` as a sentence says it ('24.3%', '330.3 per 10,000 children', '62.0 FTE').
    None is a dash.
    """
    if value is None:
        return DASH
    name, places = _unit_and_decimals(indicator)
    rounded = round_half_up(value, places)
    text = f"{rounded:+,.{places}f}" if signed else f"{rounded:,.{places}f}"
    if name == "%":
        return text + (" pts" if signed else "%")
    if not unit or name in COUNT_ONLY_UNITS:
        return text
    return f"{text} {name}".rstrip()


def format_value(value: float | None, status: str | None, indicator: str) -> str:
    """A published value ('7.0%'), or its marker ('c') when the publisher withheld it."""
    if status is not None:
        return status
    return format_number(value, indicator)


def table_cell(value: object, number_format: str = ",.1f") -> str:
    """A chart's data as its "view as table" writes it: a dash for null, an ISO date, a
    float in the chart's own number format (as the chart's tooltip shows it), else text."""
    if value is None:
        return DASH
    if isinstance(value, float):
        return format(value, number_format)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
