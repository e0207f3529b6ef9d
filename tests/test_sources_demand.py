"""Demand readers: children in need (b1, c1, c4, d3, d5), looked after, ONS population,
and the recomputed rates."""

from __future__ import annotations

import csv
import time
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest

from benchmarks.errors import DataError
from benchmarks.schema import OBSERVATION_SCHEMA
from benchmarks.sources import children_in_need as cin
from benchmarks.sources.looked_after import read_cla
from benchmarks.sources.population import read_population
from benchmarks.sources.workforce import read_cla_swcount, read_csww
from ees_testdata import la, national, write_ees

FILES = {
    "b1": "demand/b1_children_in_need_2013_to_2025.csv",
    "c1": "demand/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "c4": "demand/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv",
    "d3": "demand/d3_cpps_subsequent_plan_2013_to_2025.csv",
    "d5": "demand/d5_cpps_at31march_by_duration_2013_to_2025.csv",
    "cla": "demand/cla_number_and_rate_per_10k_children.csv",
    "pop": "demand/ons_mid-year_population_estimates_2012_to_2024.csv",
}
RATES = [
    "cin_rate_per_10k",
    "referral_rate_per_10k",
    "s47_rate_per_10k",
    "icpc_rate_per_10k",
    "cpp_rate_per_10k",
    "icpc_timeliness_rate",
    "icpc_s47_conversion_rate",
]


def _obs(rows: list[tuple[str, int, str, float | None, str | None]]) -> pl.DataFrame:
    """Observation rows (la_code, year, indicator, value, status) for a fake LA."""
    frame = pl.DataFrame(
        rows, schema=["la_code", "year", "indicator", "value", "status"], orient="row"
    )
    return (
        frame.with_columns(
            la_name=pl.lit("Testshire"),
            source=pl.lit("test"),
            level=pl.lit("la"),
            joint_code=pl.lit(None, pl.String),
        )
        .select(OBSERVATION_SCHEMA.names())
        .cast(dict(OBSERVATION_SCHEMA))
    )


def _one(frame: pl.DataFrame, la_code: str, year: int, indicator: str) -> dict:
    rows = frame.filter(la_code=la_code, year=year, indicator=indicator)
    assert rows.height == 1, (la_code, year, indicator, rows)
    return rows.row(0, named=True)


# --- rounding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "scale", "decimals", "expected"),
    [
        (1203, 120_000, 10_000, 1, 100.3),  # exactly 100.25: half up (half-to-even: 100.2)
        (1, 16, 100, 1, 6.3),  # 6.25
        (3, 16, 100, 1, 18.8),  # 18.75
        (1, 80, 100, 1, 1.3),  # 1.25 (half-to-even gives 1.2)
        (1, 8, 100, 0, 13.0),  # 12.5
        (5, 200, 100, 0, 3.0),  # 2.5 (half-to-even gives 2)
        (1, 3, 100, 1, 33.3),  # 33.33...
        (2, 3, 100, 1, 66.7),  # 66.66...
        (1, 4, 100, None, 25.0),  # no rounding
    ],
)
def test_round_half_up(numerator, denominator, scale, decimals, expected):
    frame = pl.DataFrame({"n": [numerator], "d": [denominator]})
    got = frame.select(cin.round_half_up(pl.col("n"), pl.col("d"), scale, decimals)).item()
    assert got == expected


def test_round_half_up_on_many_rows_gives_clean_decimals():
    # a column divided by a scalar may be computed with the reciprocal; results must
    # still equal the decimal literals
    frame = pl.DataFrame({"n": [1, 3, 1203, 5775], "d": [16, 16, 120_000, 176_239]})
    got = frame.select(cin.round_half_up(pl.col("n"), pl.col("d"), 100, 1))["n"].to_list()
    assert got == [6.3, 18.8, 1.0, 3.3]


# --- add_population_rates on hand-made frames ---------------------------------------


def test_rate_uses_previous_mid_year_population():
    obs = _obs([("999", 2025, "cin_count", 1203.0, None)])
    population = _obs(
        [
            ("999", 2024, "population_0_17", 120_000.0, None),  # mid-2024 for year 2025
            ("999", 2025, "population_0_17", 100_000.0, None),  # must not be used
        ]
    )
    out = cin.add_population_rates(obs, population)
    row = _one(out, "999", 2025, "cin_rate_per_10k")
    assert (row["value"], row["status"], row["source"]) == (100.3, None, "cin_b1")
    assert out.schema == OBSERVATION_SCHEMA
    # the numerator passes through; population rows are not copied in
    assert _one(out, "999", 2025, "cin_count")["value"] == 1203
    assert out.filter(indicator="population_0_17").height == 0


def test_rate_status_when_numerator_suppressed():
    obs = _obs([("999", 2025, "s47_count", None, "c")])
    population = _obs([("999", 2024, "population_0_17", None, "x")])
    row = _one(cin.add_population_rates(obs, population), "999", 2025, "s47_rate_per_10k")
    assert (row["value"], row["status"]) == (None, "c")  # the numerator's marker wins


def test_rate_status_when_population_not_available():
    obs = _obs([("999", 2025, "referral_count", 500.0, None)])
    population = _obs([("999", 2024, "population_0_17", None, "x")])
    row = _one(cin.add_population_rates(obs, population), "999", 2025, "referral_rate_per_10k")
    assert (row["value"], row["status"]) == (None, "x")


def test_rate_without_a_population_row_is_missing_and_zero_population_not_applicable():
    obs = _obs([("999", 2025, "cpp_count", 5.0, None), ("998", 2025, "cpp_count", 5.0, None)])
    population = _obs([("998", 2024, "population_0_17", 0.0, None)])
    out = cin.add_population_rates(obs, population)
    assert _one(out, "999", 2025, "cpp_rate_per_10k")["status"] == "missing"
    zero = _one(out, "998", 2025, "cpp_rate_per_10k")
    assert (zero["value"], zero["status"]) == (None, "z")


def test_rates_are_replaced_not_duplicated_and_population_in_obs_passes_through():
    obs = _obs(
        [
            ("999", 2025, "cin_count", 10.0, None),
            ("999", 2025, "cin_rate_per_10k", 1.0, None),  # stale: replaced
            ("999", 2024, "population_0_17", 1000.0, None),  # as panel.py passes it
        ]
    )
    population = obs.filter(indicator="population_0_17")
    out = cin.add_population_rates(obs, population)
    assert _one(out, "999", 2025, "cin_rate_per_10k")["value"] == 100.0  # 10 / 1000 x 10000
    assert _one(out, "999", 2024, "population_0_17")["value"] == 1000


def test_icpc_timeliness_rate_from_counts():
    obs = _obs(
        [
            ("999", 2025, "icpc_within_15_days_count", 1.0, None),
            ("999", 2025, "icpc_timed_count", 16.0, None),
            ("998", 2025, "icpc_within_15_days_count", None, "c"),
            ("998", 2025, "icpc_timed_count", None, "c"),
        ]
    )
    out = cin.add_population_rates(obs, _obs([]))
    assert _one(out, "999", 2025, "icpc_timeliness_rate")["value"] == 6.3  # 6.25 half up
    row = _one(out, "998", 2025, "icpc_timeliness_rate")
    assert (row["value"], row["status"]) == (None, "c")


# --- readers on tiny files ------------------------------------------------------------

C4_COLUMNS = [
    "category",
    "Section47",
    "ICPC",
    "Duration_0-10_days",
    "Duration_11-15_days",
    "Duration_16-20_days",
    "Duration_21+_days",
    "Duration_median",
]
C4_CATEGORY = "Section 47s and Initial Child Protection Conferences"


def test_c4_icpc_band_sums_and_suppressed_band(tmp_path):
    rows = [
        (la(2025, "383", "Leeds"), [C4_CATEGORY, "40", "16", "1", "0", "7", "8", "17"]),
        (
            la(2025, "384", "Wakefield", "E08000036"),
            [C4_CATEGORY, "30", "9", "5", "c", "2", "2", "14"],
        ),
        (la(2025, "385", "Nowhere", "E08000099"), [C4_CATEGORY, "3", "0", "0", "0", "0", "0", "z"]),
    ]
    obs = cin.read_c4(write_ees(tmp_path / "c4.csv", C4_COLUMNS, rows))
    assert obs.schema == OBSERVATION_SCHEMA
    assert _one(obs, "383", 2025, "icpc_within_15_days_count")["value"] == 1
    assert _one(obs, "383", 2025, "icpc_timed_count")["value"] == 16
    assert _one(obs, "383", 2025, "icpc_median_days")["value"] == 17
    for indicator in ("icpc_within_15_days_count", "icpc_timed_count"):
        row = _one(obs, "384", 2025, indicator)
        assert (row["value"], row["status"]) == (None, "c")
    # no band rows leak out
    assert not obs["indicator"].str.starts_with("_").any()
    out = cin.add_population_rates(obs, _obs([]))
    assert _one(out, "383", 2025, "icpc_timeliness_rate")["value"] == 6.3
    assert _one(out, "384", 2025, "icpc_timeliness_rate")["status"] == "c"
    assert _one(out, "385", 2025, "icpc_timeliness_rate")["status"] == "z"  # no ICPCs


def test_wrong_category_is_an_error(tmp_path):
    rows = [(la(2025, "383", "Leeds"), ["Children in Need by age", "10", "5"])]
    path = write_ees(tmp_path / "b1.csv", ["category", "At31_episodes", "Started_episodes"], rows)
    with pytest.raises(DataError) as info:
        cin.read_b1(path)
    assert (info.value.column, info.value.row) == ("category", 2)


CLA_COLUMNS = ["population_type", "population_estimate", "children_count", "rate_per_10000"]


def test_cla_populations_pivot_to_indicators(tmp_path):
    leeds, cumbria = la(2025, "383", "Leeds"), la(2025, "909", "Cumbria", "E10000006")
    rows = [
        (leeds, ["Children looked after on 31 March each year", "170000", "1360", "80"]),
        (leeds, ["Children starting to be looked after each year", "170000", "510", "30"]),
        (leeds, ["Children ceasing to be looked after each year", "170000", "480", "28"]),
        (cumbria, ["Children looked after on 31 March each year", "x", "z", "z"]),
    ]
    obs = read_cla(write_ees(tmp_path / "cla.csv", CLA_COLUMNS, rows))
    got = {r["indicator"]: r["value"] for r in obs.filter(la_code="383").iter_rows(named=True)}
    assert got == {
        "cla_count": 1360,
        "cla_population": 170000,
        "cla_rate_per_10k": 80,
        "cla_starts_count": 510,
        "cla_starts_rate_per_10k": 30,
        "cla_ceased_count": 480,
    }
    assert _one(obs, "909", 2025, "cla_count")["status"] == "z"
    assert _one(obs, "909", 2025, "cla_population")["status"] == "x"


def test_cla_unknown_population_type_is_an_error(tmp_path):
    rows = [(national(2025), ["Children looked after at any time", "1", "2", "3"])]
    with pytest.raises(DataError) as info:
        read_cla(write_ees(tmp_path / "cla.csv", CLA_COLUMNS, rows))
    assert info.value.column == "population_type"


def test_population_reader_and_unknown_age_group(tmp_path):
    rows = [(national(2024), ["Children aged 0 to 17 years", "12183016"])]
    obs = read_population(
        write_ees(tmp_path / "pop.csv", ["age_group", "population_estimate"], rows)
    )
    assert obs.select("la_code", "year", "indicator", "value").rows() == [
        ("970", 2024, "population_0_17", 12183016.0)
    ]
    rows.append((la(2024, "383", "Leeds"), ["Children aged 0 to 15 years", "150000"]))
    with pytest.raises(DataError) as info:
        read_population(
            write_ees(tmp_path / "pop2.csv", ["age_group", "population_estimate"], rows)
        )
    assert (info.value.column, info.value.row) == ("age_group", 3)


# --- the real published files ---------------------------------------------------------


@pytest.fixture(scope="module")
def demand(published) -> pl.DataFrame:
    obs = pl.concat(
        [
            cin.read_b1(published / FILES["b1"]),
            cin.read_c1(published / FILES["c1"]),
            cin.read_c4(published / FILES["c4"]),
            cin.read_d3(published / FILES["d3"]),
            cin.read_d5(published / FILES["d5"]),
        ]
    )
    return cin.add_population_rates(obs, read_population(published / FILES["pop"]))


def _cells(path, code: str, year: int, column: str) -> str:
    """One raw cell of an LA row, read with the csv module."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        (cell,) = [
            r[column]
            for r in csv.DictReader(f)
            if r["old_la_code"] == code and r["time_period"] == str(year)
        ]
    return cell


@pytest.mark.published
def test_cin_rate_published_england_2025(demand):
    # England 2025 CIN rate 330.3 (DfE / LAIT); CPP 40.6 = 49,420 / 12,183,016 x 10,000
    assert _one(demand, "970", 2025, "cin_rate_per_10k")["value"] == 330.3
    assert _one(demand, "970", 2025, "cpp_rate_per_10k")["value"] == 40.6


@pytest.mark.published
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("383", 327.7),
        ("370", 302.3),
        ("420", 501.6),
    ],  # Leeds 5775/176239; Barnsley 1566/51799; Scilly 16/319
)
def test_cin_rate_by_hand_from_raw_cells(published, demand, code, expected):
    count = Decimal(_cells(published / FILES["b1"], code, 2025, "At31_episodes"))
    population = Decimal(_cells(published / FILES["pop"], code, 2024, "population_estimate"))
    by_hand = (count / population * 10000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert float(by_hand) == expected
    assert _one(demand, code, 2025, "cin_rate_per_10k")["value"] == expected


@pytest.mark.published
def test_cin_rate_for_every_la_with_a_numerator_2025(demand):
    las = demand.filter(level="la", year=2025)
    counts = las.filter(indicator="cin_count").filter(pl.col("status").is_null())
    rates = las.filter(indicator="cin_rate_per_10k").filter(pl.col("status").is_null())
    assert counts.height == 153
    assert sorted(rates["la_code"]) == sorted(counts["la_code"])
    # regions have their own numerators and populations
    assert (
        demand.filter(level="regional", year=2025, indicator="cin_rate_per_10k")[
            "value"
        ].null_count()
        == 0
    )


@pytest.mark.published
def test_icpc_timeliness_leeds_2025(demand):
    # Leeds 2025 bands 89, 669, 89, 153: (89 + 669) / 1000 x 100 = 75.8
    assert _one(demand, "383", 2025, "icpc_within_15_days_count")["value"] == 758
    assert _one(demand, "383", 2025, "icpc_timed_count")["value"] == 1000
    assert _one(demand, "383", 2025, "icpc_timeliness_rate")["value"] == 75.8


@pytest.mark.published
def test_rate_markers_propagate_on_real_files(demand):
    # Hackney (204) did not submit CIN 2021 and 2022: x in the file, so the rates are x
    for year in (2021, 2022):
        row = _one(demand, "204", year, "cin_rate_per_10k")
        assert (row["value"], row["status"]) == (None, "x")
    # Dorset pre-2019 (835): counts published, population x for 2012-2018
    row = _one(demand, "835", 2015, "cin_rate_per_10k")
    assert (row["value"], row["status"]) == (None, "x")
    # every recomputed rate with no marker has a value, every marked one has none
    rates = demand.filter(pl.col("indicator").is_in(RATES))
    assert rates.filter(pl.col("value").is_null() != pl.col("status").is_not_null()).height == 0


@pytest.mark.published
def test_code_changes_never_drop_a_row(published, demand):
    s47 = demand.filter(indicator="s47_count", la_code="390")  # Gateshead: old ONS code 2013-19
    assert sorted(s47["year"]) == list(range(2013, 2026))
    for code in (
        "825",
        "815",
        "933",
        "370",
        "373",
    ):  # Bucks, N Yorks, Somerset, Barnsley, Sheffield
        years = demand.filter(indicator="cin_count", la_code=code)["year"]
        assert sorted(years) == list(range(2013, 2026)), code
    # rows read = data rows x indicators per row (c4: Section47, ICPC, median, two sums)
    for key, indicators in [("b1", 2), ("c1", 4), ("c4", 5), ("d3", 3), ("d5", 3)]:
        with open(published / FILES[key], encoding="utf-8-sig", newline="") as f:
            n = sum(1 for _ in csv.DictReader(f))
        source = f"cin_{key}"
        read = demand.filter(~pl.col("indicator").is_in(RATES), source=source)
        assert read.height == n * indicators, key


@pytest.mark.published
def test_population_reader_published(published):
    pop = read_population(published / FILES["pop"])
    assert _one(pop, "970", 2024, "population_0_17")["value"] == 12183016
    assert _one(pop, "383", 2024, "population_0_17")["value"] == 176239
    assert pop.height == 2132
    assert set(pop.filter(pl.col("status").is_not_null())["status"]) == {"x"}
    assert pop.filter(status="x").height == 21


@pytest.mark.published
def test_cla_rates_kept_as_published_and_consistent(published):
    cla = read_cla(published / FILES["cla"])
    assert cla.height == 2505 // 3 * 6  # 3 + 2 + 1 indicators over the three population types
    # Hartlepool 2025 ceasing: 131 children, published rate not kept for ceasing
    assert _one(cla, "805", 2025, "cla_ceased_count")["value"] == 131
    assert _one(cla, "970", 2025, "cla_count")["value"] == 81770
    assert _one(cla, "970", 2025, "cla_rate_per_10k")["value"] == 67
    wide = (
        cla.filter(level="la")
        .filter(pl.col("status").is_null())
        .pivot("indicator", index=["la_code", "year"], values="value")
        .drop_nulls(["cla_count", "cla_population", "cla_rate_per_10k"])
    )
    assert wide.height > 700
    diff = (wide["cla_count"] / wide["cla_population"] * 10000 - wide["cla_rate_per_10k"]).abs()
    assert diff.max() < 0.5
    # LAs that did not exist keep their rows with z (Cumbria 2024-25)
    for year in (2024, 2025):
        row = _one(cla, "909", year, "cla_count")
        assert (row["value"], row["status"]) == (None, "z")


@pytest.mark.published
def test_all_readers_fast_enough(published):
    start = time.perf_counter()
    obs = pl.concat(
        [
            read_csww(published / "workforce/csww_indicators_2017_to_2025.csv"),
            read_cla_swcount(published / "workforce/la_cla_swcount.csv"),
            read_cla(published / FILES["cla"]),
            *(
                getattr(cin, f"read_{k}")(published / FILES[k])
                for k in ("b1", "c1", "c4", "d3", "d5")
            ),
        ]
    )
    cin.add_population_rates(obs, read_population(published / FILES["pop"]))
    assert time.perf_counter() - start < 2.0
