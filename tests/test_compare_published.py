"""The comparison engine on the real published files (expected values from the files)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from benchmarks.comparison import compare, comparison_table
from benchmarks.groups import group_spec, list_groups, membership
from benchmarks.narrative import findings
from benchmarks.panel import Bundle, load

pytestmark = pytest.mark.published

TURNOVER = "sw_turnover_rate"
#: Leeds' 10 statistical neighbours in the 2025 model, in rank order, read by hand from
#: authorities/sn_may_2025.xlsx (sheet "LA SN Groups", row LA num 383): Kirklees, Wakefield,
#: Sheffield, Derbyshire, Calderdale, Stockport, Bristol, South Gloucestershire, Croydon, BCP.
LEEDS_SN2025 = ["851", "882", "373", "826", "382", "355", "801", "852", "306", "839"]
#: ... and in the 2021 model (New_Statistical_Neighbour_Groupings_April_2021.csv, row 383).
LEEDS_SN2021 = ["373", "841", "381", "351", "808", "350", "831", "392", "382", "344"]


@pytest.fixture(scope="module")
def bundle(published: Path) -> Bundle:
    return load(published)


@pytest.fixture(scope="module")
def table(bundle: Bundle) -> pl.DataFrame:
    return comparison_table(
        bundle.panel,
        bundle.authorities,
        bundle.neighbours,
        bundle.inspections,
        bundle.flags,
        group=["sn2025", "england"],
    )


def row(
    table: pl.DataFrame,
    code: str,
    group: str = "sn2025",
    indicator: str = TURNOVER,
    year: int = 2025,
) -> dict:
    rows = table.filter(
        (pl.col("la_code") == code)
        & (pl.col("group") == group)
        & (pl.col("indicator") == indicator)
        & (pl.col("year") == year)
    )
    assert rows.height == 1
    return rows.row(0, named=True)


@pytest.mark.parametrize(
    ("group", "expected"), [("sn2025", LEEDS_SN2025), ("sn2021", LEEDS_SN2021)]
)
def test_leeds_statistical_neighbours_come_from_the_chosen_model(
    bundle: Bundle, group: str, expected: list[str]
) -> None:
    pairs = membership(bundle.authorities, bundle.neighbours, bundle.inspections, group).filter(
        pl.col("la_code") == "383"
    )
    assert pairs["member_code"].to_list() == expected
    assert pairs["rank"].to_list() == list(range(1, 11))


def test_leeds_is_among_the_lowest_turnover_authorities_in_2025(
    published: Path, table: pl.DataFrame
) -> None:
    # From the CSWW file itself: LA rows in 2025 with a numeric turnover (a joint return is
    # one row there) and how many are below Leeds' 7.0.
    csww = pl.read_csv(
        published / "workforce" / "csww_indicators_2017_to_2025.csv", infer_schema=False
    )
    rates = (
        csww.filter(
            (pl.col("time_period") == "2025") & (pl.col("geographic_level") == "Local authority")
        )
        .select(pl.col("turnover_rate_fte").cast(pl.Float64, strict=False))
        .drop_nulls()["turnover_rate_fte"]
    )
    leeds = row(table, "383")
    assert leeds["value"] == 7.0
    assert leeds["rank"] == int((rates < 7.0).sum()) + 1
    assert leeds["rank_of"] == rates.len()
    assert leeds["rank"] <= 10 and leeds["band"] == "A"
    assert leeds["comparator_n"] == 10 and leeds["significant"] is True
    assert leeds["group_label"] == "statistical neighbours in the 2025 model"


def test_england_pooled_turnover_from_la_rows_matches_the_published_england_figure(
    table: pl.DataFrame,
) -> None:
    # Kensington and Chelsea has no 2025 workforce figures, so its "every other authority"
    # group is every LA with data: the pooled rate must equal England's 11.8 to rounding.
    kc = row(table, "207", group="england")
    assert kc["value"] is None
    assert kc["england"] == 11.8
    assert kc["comparator_pooled"] == pytest.approx(11.8, abs=0.05)


def test_kingston_and_richmond_share_one_rank_as_a_joint_return(table: pl.DataFrame) -> None:
    kingston, richmond = row(table, "314"), row(table, "318")
    assert kingston["value"] == richmond["value"] == 28.0
    assert kingston["rank"] == richmond["rank"]
    assert "joint_return" in kingston["flags"]


@pytest.mark.parametrize("code", ["857", "201"])
def test_small_authorities_get_wide_intervals_and_no_false_significance(
    table: pl.DataFrame, code: str
) -> None:
    # Rutland 22.8% (5 of 21.9 FTE) and City of London 0.0% (0 of 11.8 FTE) in 2025.
    small = row(table, code)
    assert small["ci_high"] - small["ci_low"] > 20
    assert small["significant"] is False
    # any claim about a small authority is backed by its interval
    claims = table.filter((pl.col("la_code") == code) & pl.col("significant"))
    outside = (pl.col("comparator") < pl.col("ci_low")) | (pl.col("comparator") > pl.col("ci_high"))
    assert claims.filter(~outside).height == 0


def test_isles_of_scilly_turnover_is_not_applicable_and_makes_no_claim(table: pl.DataFrame) -> None:
    scilly = row(table, "420")
    assert (scilly["value"], scilly["status"], scilly["significant"]) == (None, "z", None)


def test_example_partnerships_resolve_against_the_real_authorities(bundle: Bundle) -> None:
    sizes = {
        "West Yorkshire": 5,
        "Greater Manchester": 10,
        "Tees Valley": 5,
        "Achieving for Children": 3,
    }
    for name, size in sizes.items():
        spec = group_spec(bundle.authorities, bundle.neighbours, bundle.inspections, name)
        assert spec.members.height == size
    west = group_spec(bundle.authorities, bundle.neighbours, bundle.inspections, "West Yorkshire")
    assert sorted(west.members["member_code"]) == ["380", "381", "382", "383", "384"]


def test_every_group_runs_on_the_real_data(bundle: Bundle) -> None:
    groups = list_groups()["group"].to_list()
    t = comparison_table(
        bundle.panel,
        bundle.authorities,
        bundle.neighbours,
        bundle.inspections,
        bundle.flags,
        group=groups,
    )
    assert t["group"].unique(maintain_order=True).to_list() == groups
    assert t.filter(pl.col("comparator_n") > 0).height > 0.5 * t.height


def test_compare_one_authority_by_name_and_its_findings(bundle: Bundle) -> None:
    leeds = compare(bundle, "leeds", year=2025)
    assert set(leeds["la_code"]) == {"383"}
    assert leeds.filter(pl.col("indicator") == TURNOVER)["value"].to_list() == [7.0]
    latest = compare(bundle, "E08000035")  # ONS code; latest year per indicator
    assert latest.filter(pl.col("indicator") == TURNOVER)["year"].to_list() == [2025]
    sentences = findings(leeds).filter(pl.col("indicator") == TURNOVER)["sentence"].to_list()
    assert sentences and sentences[0].startswith(
        "Social worker turnover was 7.0% in 2025, lower than statistical neighbours"
    )
