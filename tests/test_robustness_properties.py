"""Property-based tests of the EES reader on a slice of the real CSWW file (issue 6).

Each example changes random cells of the first rows of
`workforce/csww_indicators_2017_to_2025.csv` (sliced at test time, never committed) and
reads the result with the real CSWW reader. Whatever the change, the reader either raises
a DataError naming the changed cell, or returns exactly the original numbers for every
other cell and the documented value for the changed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corpus
from benchmarks.errors import DataError
from benchmarks.indicators import catalogue
from benchmarks.sources import _ees
from benchmarks.sources.workforce import read_csww

pytestmark = pytest.mark.timeout(60)
SETTINGS = settings(
    max_examples=40,
    deadline=timedelta(seconds=3),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
MARKERS = ["c", "x", "z", "u", "low"]
KEY = ["la_code", "year", "indicator"]


@dataclass(frozen=True)
class Slice:
    """The header and first rows of the CSWW file, its reading, and where cells may change."""

    rows: list[list[str]]
    original: pl.DataFrame  # read_csww of the unmodified slice
    la_rows: list[int]  # indices of single-authority LA rows
    columns: dict[str, str]  # file column -> indicator id
    path: Path

    def col(self, name: str) -> int:
        return self.rows[0].index(name)

    def write(self, rows: list[list[str]]) -> Path:
        self.path.write_bytes(corpus.csv_bytes(rows))
        return self.path

    def key(self, i: int, column: str) -> tuple[str, int, str]:
        """The observation key of the cell in row `i`, `column`."""
        row = self.rows[i]
        return (row[self.col("old_la_code")], int(row[0]), self.columns[column])

    def numbers(self) -> list[tuple[int, str]]:
        """(row, column) of every LA cell holding a number in the original."""
        out = []
        for i in self.la_rows:
            for column in self.columns:
                try:
                    float(self.rows[i][self.col(column)])
                except ValueError:
                    continue
                out.append((i, column))
        return out


@pytest.fixture(scope="module")
def csww(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Slice:
    rows = corpus.read_book(corpus.source("csww"), published)[None][:41]
    path = tmp_path_factory.mktemp("csww") / "csww_indicators_slice.csv"
    path.write_bytes(corpus.csv_bytes(rows))
    level, code = rows[0].index("geographic_level"), rows[0].index("old_la_code")
    la_rows = [
        i
        for i, r in enumerate(rows)
        if i > 0 and r[level] == "Local authority" and r[code].isdigit()
    ]
    assert len(la_rows) >= 20
    return Slice(rows, read_csww(path), la_rows, _ees.catalogue_columns("csww"), path)


def _others_unchanged(found: pl.DataFrame, original: pl.DataFrame, changed: set) -> None:
    """Every observation outside `changed` keys has its original value and status."""
    keys = pl.DataFrame(list(changed), schema=KEY, orient="row").cast({"year": pl.Int32})
    rest_found = found.join(keys, on=KEY, how="anti")
    rest_original = original.join(keys, on=KEY, how="anti")
    assert rest_found.equals(rest_original)


def _cell(found: pl.DataFrame, key: tuple[str, int, str]) -> tuple[float | None, str | None]:
    la_code, year, indicator = key
    hit = found.filter(la_code=la_code, year=year, indicator=indicator)
    assert hit.height == 1
    return hit["value"][0], hit["status"][0]


def _maximum(indicator: str) -> float:
    return _ees.MAX_BY_UNIT.get(catalogue()[indicator].unit, _ees.MAX_COUNT)


def _with(s: Slice, cells: dict[tuple[int, str], str]) -> list[list[str]]:
    rows = [list(r) for r in s.rows]
    for (i, column), text in cells.items():
        rows[i][s.col(column)] = text
    return rows


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")),  # no control characters
    max_size=12,
)


@pytest.mark.timeout(60)
@SETTINGS
@given(data=st.data())
def test_random_text_in_a_cell_is_an_error_there_or_read_exactly(csww, data):
    i = data.draw(st.sampled_from(csww.la_rows), label="row")
    column = data.draw(st.sampled_from(list(csww.columns)), label="column")
    text = data.draw(st.one_of(TEXT, st.sampled_from(["", " 7 ", "LOW", "1,234", "nan"])))
    path = csww.write(_with(csww, {(i, column): text}))
    try:
        found = read_csww(path)
    except DataError as err:
        assert (err.column, err.row) == (column, i + 1), str(err)
        return
    key = csww.key(i, column)
    _others_unchanged(found, csww.original, {key})
    value, status = _cell(found, key)
    stripped = text.strip()
    if stripped == "":
        assert (value, status) == (None, "missing")
    elif stripped.lower() in MARKERS:
        assert (value, status) == (None, stripped.lower())
    else:
        assert status is None
        assert value == float(stripped)
        assert 0 <= value <= _maximum(key[2])


@pytest.mark.timeout(60)
@SETTINGS
@given(data=st.data())
def test_markers_anywhere_round_trip_to_null_and_status(csww, data):
    cells = data.draw(
        st.dictionaries(
            st.tuples(st.sampled_from(csww.la_rows), st.sampled_from(list(csww.columns))),
            st.tuples(st.sampled_from(MARKERS), st.booleans(), st.booleans()),
            min_size=1,
            max_size=8,
        )
    )
    spelled = {
        cell: (marker.upper() if upper else marker) + (" " if padded else "")
        for cell, (marker, upper, padded) in cells.items()
    }
    found = read_csww(csww.write(_with(csww, spelled)))
    keys = {csww.key(i, column): marker for (i, column), (marker, _, _) in cells.items()}
    _others_unchanged(found, csww.original, set(keys))
    for key, marker in keys.items():
        assert _cell(found, key) == (None, marker)


def _format(number: str, zeros: int, trailing: int, plus: bool, exponent: bool, pad: int) -> str:
    """`number` (a plain decimal) written another valid way: same value."""
    text = number
    if exponent:
        text = f"{Decimal(text):E}"
    elif trailing:
        text = text + ("" if "." in text else ".") + "0" * trailing
    text = "0" * zeros + text
    return " " * pad + ("+" if plus else "") + text + " " * pad


@pytest.mark.timeout(60)
@SETTINGS
@given(
    data=st.data(),
    zeros=st.integers(0, 3),
    trailing=st.integers(0, 3),
    plus=st.booleans(),
    exponent=st.booleans(),
    pad=st.integers(0, 2),
)
def test_numbers_in_any_valid_format_parse_to_the_same_float(
    csww, data, zeros, trailing, plus, exponent, pad
):
    i, column = data.draw(st.sampled_from(csww.numbers()), label="cell")
    original = csww.rows[i][csww.col(column)]
    text = _format(original, zeros, trailing, plus, exponent, pad)
    found = read_csww(csww.write(_with(csww, {(i, column): text})))
    assert found.equals(csww.original), f"{original!r} written as {text!r}"


@pytest.mark.timeout(60)
@SETTINGS
@given(data=st.data(), number=st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_values_outside_the_plausible_range_are_errors_at_the_cell(csww, data, number):
    i = data.draw(st.sampled_from(csww.la_rows), label="row")
    column = data.draw(st.sampled_from(list(csww.columns)), label="column")
    path = csww.write(_with(csww, {(i, column): repr(number)}))
    key = csww.key(i, column)
    if 0 <= number <= _maximum(key[2]):
        found = read_csww(path)
        assert _cell(found, key) == (number, None)
        _others_unchanged(found, csww.original, {key})
    else:
        with pytest.raises(DataError) as info:
            read_csww(path)
        assert (info.value.column, info.value.row) == (column, i + 1)
        assert "plausible" in str(info.value)
