"""The partner finder and the sector groups on the real published files."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from benchmarks import panel, partners
from benchmarks.errors import UnknownAuthorityError
from benchmarks.groups import group_spec
from benchmarks.improvement import GOOD, NOT_GOOD

pytestmark = pytest.mark.published


@pytest.fixture(scope="module")
def bundle(published_bundle: panel.Bundle) -> panel.Bundle:
    return published_bundle


def test_an_authority_rated_requires_improvement_gets_partners_each_with_a_reason(
    published: Path, bundle: panel.Bundle
) -> None:
    # Barking and Dagenham: Requires improvement at its July 2023 inspection (Ofsted, as at
    # 31 March 2025), with no later inspection in the D2I supplement
    latest = bundle.inspections.filter(pl.col("la_code") == "301", pl.col("overall").is_not_null())
    assert latest.sort("inspection_date")["overall"][-1] == "Requires improvement to be good"
    got = partners.find_partners(bundle, "Barking and Dagenham")
    assert 1 <= got.height <= 5
    assert "301" not in got["la_code"].to_list()
    assert got["distance"].is_sorted()
    assert set(got["now_grade"]) <= set(GOOD)
    assert set(got["then_grade"]) <= set(NOT_GOOD)
    csww = pl.read_csv(
        published / "workforce" / "csww_indicators_2017_to_2025.csv", infer_schema=False
    ).filter(pl.col("geographic_level") == "Local authority")
    for row in got.iter_rows(named=True):
        assert row["reason"].startswith(row["la_name"])
        # the quoted turnover is the published figure for that authority and year
        found = re.search(r"social worker turnover ([\d.]+)% in (\d{4})", row["reason"])
        assert found, row["reason"]
        published_value = (
            csww.filter(
                pl.col("old_la_code").str.contains(row["la_code"], literal=True),
                pl.col("time_period") == found.group(2),
            )["turnover_rate_fte"]
            .cast(pl.Float64)
            .item()
        )
        assert float(found.group(1)) == published_value


def test_an_unknown_focus_suggests_close_names(bundle: panel.Bundle) -> None:
    with pytest.raises(UnknownAuthorityError) as err:
        partners.find_partners(bundle, "Barking and Dagenam")
    assert "Barking and Dagenham" in str(err.value)


@pytest.mark.parametrize(
    ("group", "codes"),
    [
        ("Ofsted good-practice visits", ["204", "207", "358", "383"]),
        ("TriBorough", ["205", "207", "213"]),
    ],
)
def test_the_sector_groups_resolve_against_the_real_authorities(
    bundle: panel.Bundle, group: str, codes: list[str]
) -> None:
    spec = group_spec(bundle.authorities, bundle.neighbours, bundle.inspections, group)
    assert sorted(spec.members["member_code"]) == codes
