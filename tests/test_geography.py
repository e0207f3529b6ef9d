"""LA name and code resolution on a hand-made authorities frame (no files)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from benchmarks import geography
from benchmarks.errors import UnknownAuthorityError
from benchmarks.schema import AUTHORITIES_SCHEMA


@pytest.fixture
def authorities() -> pl.DataFrame:
    """Three fake authorities: two share a name, one is a former authority."""
    rows = [
        ("901", "Northshire", "E10999901", ["E10999901"], dt.date(1998, 4, 1), False),
        ("902", "Northshire", "E06999902", ["E06999902"], dt.date(2020, 4, 1), True),
        ("903", "Kingston upon Seaside, City of", "E06999903", ["E06999900", "E06999903"],
         dt.date(2009, 4, 1), True),
    ]  # fmt: skip
    frame = pl.DataFrame(
        [
            {
                "la_code": c,
                "la_name": n,
                "ons_code": o,
                "ons_codes": os,
                "date_of_operation": d,
                "current": cur,
                "predecessors": [],
                "successors": [],
            }
            for c, n, o, os, d, cur in rows
        ]  # fmt: skip
    )
    return frame.with_columns(
        [pl.lit(None, dtype=t).alias(c) for c, t in AUTHORITIES_SCHEMA.items() if c not in frame]
    ).select(AUTHORITIES_SCHEMA.names())


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("903", "903"),
        (" 903 ", "903"),
        ("E06999900", "903"),  # an old ONS code
        ("e06999903", "903"),
        ("Kingston upon Seaside", "903"),
        ("City of Kingston upon Seaside", "903"),
        ("NORTHSHIRE COUNTY COUNCIL", "902"),  # the current one of two namesakes
    ],
)
def test_resolves_codes_and_names(authorities: pl.DataFrame, query: str, code: str) -> None:
    assert geography.resolve_la(authorities, query) == code


def test_former_authority_when_asked(authorities: pl.DataFrame) -> None:
    assert geography.resolve_la(authorities, "Northshire", prefer_current=False) == "901"


def test_unknown_name_suggests_the_closest(authorities: pl.DataFrame) -> None:
    with pytest.raises(UnknownAuthorityError) as err:
        geography.resolve_la(authorities, "Northshir")
    assert err.value.suggestions == ["Northshire"]
    assert str(err.value) == "No local authority matches 'Northshir'. Did you mean: Northshire?"


@pytest.mark.parametrize("query", ["Cafcass", " cafcass ", "CAFCASS"])
def test_cafcass_is_a_national_body(authorities: pl.DataFrame, query: str) -> None:
    with pytest.raises(UnknownAuthorityError) as err:
        geography.resolve_la(authorities, query)
    assert str(err.value) == "Cafcass is a national body with no local authority data."
    assert err.value.suggestions == []


def test_an_unrelated_word_gets_no_suggestion(authorities: pl.DataFrame) -> None:
    with pytest.raises(UnknownAuthorityError) as err:
        geography.resolve_la(authorities, "Atlantis")
    assert err.value.suggestions == []
    assert "national body" not in str(err.value)


def test_england_and_region_codes() -> None:
    # LAIT codes: England 970, the nine regions and Inner/Outer London 980-990
    assert geography.ENGLAND_CODE == "970"
    lait = sorted(code for code, _ in geography.REGION_CODES.values())
    assert lait == [str(n) for n in range(980, 991)]
    assert geography.REGION_CODES[geography.LONDON] == ("986", "London")
    assert geography.REGION_CODES[geography.INNER_LONDON] == ("987", "Inner London")
