"""Outcome readers: placement stability, care leavers' activity and accommodation (CLA
publication), assessment factors (c3) and the ICPC conversion rate (c4).

Unit tests use tiny hand-written files; integration tests check published figures read
from the CSVs by hand (the rows are named beside each expected value).
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from benchmarks import comparison, panel
from benchmarks.errors import DataError
from benchmarks.formatting import MARKERS
from benchmarks.schema import MARKER_CODES, OBSERVATION_SCHEMA
from benchmarks.sources import children_in_need as cin
from benchmarks.sources import outcomes
from benchmarks.sources.population import read_population
from ees_testdata import la, national, write_ees

PLACEMENT = "outcomes/la_cla_placement_stability.csv"
ACTIVITY = "outcomes/la_care_leavers_activity.csv"
ACCOMMODATION = "outcomes/la_care_leavers_accommodation_suitability.csv"
C3 = "demand/c3_factors_identified_at_end_of_assessment_2018_to_2025.csv"
C4 = "demand/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"
POP = "demand/ons_mid-year_population_estimates_2012_to_2024.csv"

PLACEMENT_COLUMNS = ["cla_group", "placement_stability", "children_count", "children_percent"]
LEAVER_COLUMNS = ["care_leaver_age", "breakdown", "care_leaver_count", "care_leaver_percent"]
LONG_TERM = outcomes.LONG_TERM_GROUP


def _one(frame: pl.DataFrame, la_code: str, year: int, indicator: str) -> dict:
    rows = frame.filter(la_code=la_code, year=year, indicator=indicator)
    assert rows.height == 1, (la_code, year, indicator, rows)
    return rows.row(0, named=True)


def _values(frame: pl.DataFrame, la_code: str) -> dict[str, tuple[float | None, str | None]]:
    rows = frame.filter(la_code=la_code).iter_rows(named=True)
    return {r["indicator"]: (r["value"], r["status"]) for r in rows}


def _activity_rows(geo: list[str], age: str, cells: dict[str, tuple[str, str]]):
    """Every breakdown of one age group; those not in `cells` are 'c'."""
    return [(geo, [age, b, *cells.get(b, ("c", "c"))]) for b in outcomes.ACTIVITY_BREAKDOWNS]


# --- hand-made files ------------------------------------------------------------------


def test_k_is_a_marker_worded_like_low():
    assert "k" in MARKER_CODES
    assert "rounds to zero" in MARKERS["k"]


def test_placement_stability_keeps_the_published_percentages(tmp_path):
    leeds = la(2025, "383", "Leeds")
    rows = [
        (leeds, ["CLA on 31 March", "Total children", "40", "100"]),
        # 5 / 40 = 12.5 %: DfE publishes 13 (half up); the panel keeps 13
        (leeds, ["CLA on 31 March", "With 3 or more placements during the year", "5", "13"]),
        (leeds, ["CLA 2 years on 31 March", "Total children", "30", "100"]),
        (
            leeds,
            ["CLA 2 years on 31 March", "With 3 or more placements during the previous 2 years"]
            + ["9", "30"],
        ),
        (leeds, [LONG_TERM, "Total children", "20", "100"]),
        (leeds, [LONG_TERM, "Living with the same carer for at least 2 years", "c", "c"]),
    ]
    obs = outcomes.read_placement_stability(write_ees(tmp_path / "p.csv", PLACEMENT_COLUMNS, rows))
    assert obs.schema == OBSERVATION_SCHEMA
    assert _values(obs, "383") == {
        "cla_placement_stability_total": (40.0, None),
        "cla_3plus_placements_count": (5.0, None),
        "cla_3plus_placements_rate": (13.0, None),
        "cla_long_term_stability_total": (20.0, None),
        "cla_long_term_stability_count": (None, "c"),
        "cla_long_term_stability_rate": (None, "c"),
    }
    assert set(obs["source"]) == {"cla_placement_stability"}


def test_a_k_cell_is_null_with_status_k_never_zero(tmp_path):
    geo = la(2025, "383", "Leeds")
    rows = _activity_rows(geo, "17 to 18 years", {"Total": ("12", "100")})
    rows += _activity_rows(
        geo,
        "19 to 21 years",
        {
            "Total": ("250", "100"),
            outcomes.EET: ("1", "k"),  # 1 of 250 = 0.4 %: rounds to 0 but is not 0
            "Total information not known": ("1", "k"),
        },
    )
    obs = outcomes.read_care_leavers_activity(write_ees(tmp_path / "a.csv", LEAVER_COLUMNS, rows))
    rate = _one(obs, "383", 2025, "care_leavers_eet_19_21_rate")
    assert rate["value"] is None and rate["status"] == "k"
    assert _one(obs, "383", 2025, "care_leavers_eet_19_21_count")["value"] == 1.0
    assert _one(obs, "383", 2025, "care_leavers_19_21_total")["value"] == 250.0
    assert _one(obs, "383", 2025, "care_leavers_eet_17_18_rate")["status"] == "c"
    # only the six indicator rows are kept; the other breakdowns are read, then left out
    assert obs.height == 6


def test_accommodation_suppressed_suitable_count_keeps_its_marker(tmp_path):
    geo = national(2025)
    rows = [
        (geo, ["17 to 18 years", "Accommodation considered suitable", "13380", "91"]),
        (geo, ["17 to 18 years", "Accommodation considered unsuitable", "500", "3"]),
        (geo, ["17 to 18 years", "No information", "870", "6"]),
        (geo, ["17 to 18 years", "Suitability total", "14750", "100"]),
        (geo, ["19 to 21 years", "Accommodation considered suitable", "c", "c"]),
        (geo, ["19 to 21 years", "Accommodation considered unsuitable", "c", "c"]),
        (geo, ["19 to 21 years", "No information", "1", "k"]),
        (geo, ["19 to 21 years", "Suitability total", "300", "100"]),
    ]
    obs = outcomes.read_care_leavers_accommodation(
        write_ees(tmp_path / "s.csv", LEAVER_COLUMNS, rows)
    )
    assert _values(obs, "970") == {
        "care_leavers_suitable_accommodation_17_18_count": (13380.0, None),
        "care_leavers_suitable_accommodation_17_18_rate": (91.0, None),
        "care_leavers_suitability_17_18_total": (14750.0, None),
        "care_leavers_suitable_accommodation_19_21_count": (None, "c"),
        "care_leavers_suitable_accommodation_19_21_rate": (None, "c"),
        "care_leavers_suitability_19_21_total": (300.0, None),
    }


@pytest.mark.parametrize(
    ("read", "columns", "row", "column"),
    [
        (
            outcomes.read_care_leavers_activity,
            LEAVER_COLUMNS,
            ["19 to 21 years", "In voluntary work", "3", "1"],
            "breakdown",
        ),
        (
            outcomes.read_care_leavers_accommodation,
            LEAVER_COLUMNS,
            ["22 to 25 years", "Suitability total", "3", "100"],
            "care_leaver_age",
        ),
        (
            outcomes.read_placement_stability,
            PLACEMENT_COLUMNS,
            ["CLA on 31 March", "With 4 or more placements during the year", "3", "1"],
            "placement_stability",
        ),
    ],
)
def test_an_unknown_breakdown_is_an_error_naming_column_and_row(
    tmp_path, read, columns, row, column
):
    with pytest.raises(DataError) as info:
        read(write_ees(tmp_path / "f.csv", columns, [(la(2025, "383", "Leeds"), row)]))
    assert (info.value.column, info.value.row) == (column, 2)


def test_a_percentage_above_100_is_an_error(tmp_path):
    rows = [(la(2025, "383", "Leeds"), ["CLA on 31 March", "Total children", "40", "100"])]
    rows.append(
        (
            la(2025, "383", "Leeds"),
            ["CLA on 31 March", "With 3 or more placements during the year", "5", "130"],
        )
    )
    with pytest.raises(DataError) as info:
        outcomes.read_placement_stability(write_ees(tmp_path / "p.csv", PLACEMENT_COLUMNS, rows))
    assert (info.value.column, info.value.row) == ("children_percent", 3)


def test_assessment_factor_and_conversion_rates_by_hand():
    def obs(rows):
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

    counts = obs(
        [
            ("901", 2025, "af_neglect_count", 1203.0, None),  # 1203 / 120000 = 100.25 -> 100.3
            ("901", 2025, "af_going_missing_count", None, "c"),
            ("901", 2025, "s47_count", 16.0, None),
            ("901", 2025, "icpc_count", 1.0, None),  # 1 / 16 = 6.25 % -> 6.3
        ]
    )
    population = obs([("901", 2024, "population_0_17", 120000.0, None)])
    out = cin.add_population_rates(counts, population)
    assert _one(out, "901", 2025, "af_neglect_per_10k")["value"] == 100.3
    missing = _one(out, "901", 2025, "af_going_missing_per_10k")
    assert (missing["value"], missing["status"]) == (None, "c")
    assert _one(out, "901", 2025, "icpc_s47_conversion_rate")["value"] == 6.3


# --- the real published files ---------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(published: Path, tmp_path_factory: pytest.TempPathFactory) -> panel.Bundle:
    return panel.build(panel.input_files(published))


def _cells(path: Path, code: str, year: int, **match: str) -> dict[str, str]:
    """The one LA row of `path` for this code and year matching the filter values."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if r["old_la_code"] == code
            and r["time_period"] == str(year)
            and all(r[k] == v for k, v in match.items())
        ]
    assert len(rows) == 1, (code, year, match)
    return rows[0]


#: (indicator, la_code, year, published %) read from the CSVs: the row is named in each
#: comment as `la_name, year, filter values -> count / total, percent`.
PUBLISHED = [
    # the Leeds 2025 figures
    ("cla_3plus_placements_rate", "383", 2025, 13),  # CLA on 31 March: 201 / 1498, 13
    ("care_leavers_eet_19_21_rate", "383", 2025, 46),  # 19 to 21, EET: 273 / 600, 46
    ("care_leavers_suitable_accommodation_19_21_rate", "383", 2025, 81),  # 486 / 599, 81
    # read from the files for this test
    ("cla_long_term_stability_rate", "383", 2025, 73),  # Leeds: 414 / 568, 73
    ("care_leavers_eet_17_18_rate", "383", 2025, 55),  # Leeds 17 to 18: 134 / 243, 55
    ("care_leavers_suitable_accommodation_17_18_rate", "383", 2025, 87),  # Leeds: 210 / 242
    ("care_leavers_eet_17_18_rate", "330", 2023, 60),  # Birmingham 2023: 167 / 277, 60
    ("care_leavers_suitable_accommodation_19_21_rate", "886", 2021, 81),  # Kent: 948 / 1167
    ("cla_long_term_stability_rate", "305", 2025, 63),  # Bromley: 60 / 96 = 62.5, 63 (half up)
    ("cla_3plus_placements_rate", "908", 2022, 14),  # Cornwall 2022: 70 / 501, 14
    ("cla_long_term_stability_rate", "805", 2025, 60),  # Hartlepool 2025: 75, 60
    # England (National rows), 2025
    ("cla_3plus_placements_rate", "970", 2025, 10),  # 8500 / 81770
    ("cla_long_term_stability_rate", "970", 2025, 69),  # 19680 / 28710
    ("care_leavers_eet_17_18_rate", "970", 2025, 64),  # 9430 / 14800
    ("care_leavers_eet_19_21_rate", "970", 2025, 54),  # 20760 / 38440
    ("care_leavers_suitable_accommodation_17_18_rate", "970", 2025, 91),  # 13380 / 14750
    ("care_leavers_suitable_accommodation_19_21_rate", "970", 2025, 89),  # 33810 / 38190
]


@pytest.mark.published
@pytest.mark.parametrize(("indicator", "code", "year", "expected"), PUBLISHED)
def test_published_percentages(bundle, indicator, code, year, expected):
    row = _one(bundle.panel, code, year, indicator)
    assert (row["value"], row["status"]) == (expected, None)


@pytest.mark.published
def test_leeds_2025_counts_are_carried_as_numerator_and_denominator(bundle):
    panel_rows = bundle.panel
    expected = {
        "cla_placement_stability_total": 1498,
        "cla_3plus_placements_count": 201,
        "cla_long_term_stability_total": 568,
        "cla_long_term_stability_count": 414,
        "care_leavers_19_21_total": 600,
        "care_leavers_eet_19_21_count": 273,
        "care_leavers_suitability_19_21_total": 599,
        "care_leavers_suitable_accommodation_19_21_count": 486,
    }
    for indicator, count in expected.items():
        assert _one(panel_rows, "383", 2025, indicator)["value"] == count, indicator
    # compare pools these: k / n for each rate
    kn = (
        comparison.numerators_denominators(panel_rows.filter(la_code="383", year=2025))
        .collect()
        .filter(
            pl.col("indicator").is_in(["cla_3plus_placements_rate", "care_leavers_eet_19_21_rate"])
        )
        .sort("indicator")
    )
    assert kn.select("indicator", "k", "n").rows() == [
        ("care_leavers_eet_19_21_rate", 273.0, 600.0),
        ("cla_3plus_placements_rate", 201.0, 1498.0),
    ]


@pytest.mark.published
def test_every_la_percentage_is_the_half_up_rounding_of_its_counts(bundle):
    """The reader pairs each published % with its own count and total: on every LA row
    where all three are numbers, % = round half up(100 x count / total) (integers)."""
    pairs = {
        "cla_3plus_placements_rate": ("cla_3plus_placements_count", "cla_placement_stability_total"),
        "cla_long_term_stability_rate": ("cla_long_term_stability_count", "cla_long_term_stability_total"),
        "care_leavers_eet_17_18_rate": ("care_leavers_eet_17_18_count", "care_leavers_17_18_total"),
        "care_leavers_eet_19_21_rate": ("care_leavers_eet_19_21_count", "care_leavers_19_21_total"),
        "care_leavers_suitable_accommodation_17_18_rate": (
            "care_leavers_suitable_accommodation_17_18_count",
            "care_leavers_suitability_17_18_total",
        ),
        "care_leavers_suitable_accommodation_19_21_rate": (
            "care_leavers_suitable_accommodation_19_21_count",
            "care_leavers_suitability_19_21_total",
        ),
    }  # fmt: skip
    la_rows = bundle.panel.filter(~pl.col("la_code").is_in(["970", *map(str, range(980, 991))]))
    wide = la_rows.pivot(on="indicator", index=["la_code", "year"], values="value")
    checked = 0
    for rate, (count, total) in pairs.items():
        rows = wide.select("la_code", "year", rate, count, total).drop_nulls()
        rows = rows.filter(pl.col(total) > 0)
        for code, year, published_pct, n, d in rows.iter_rows():
            assert published_pct == (200 * int(n) + int(d)) // (2 * int(d)), (rate, code, year)
        checked += rows.height
    assert checked > 4000  # MANIFEST §3: 744 + 747 + 751 + 756 + 695 + 747 rows


@pytest.mark.published
def test_markers_kept_for_non_existent_and_suppressed(bundle):
    cumbria = _one(bundle.panel, "909", 2025, "cla_3plus_placements_rate")  # all-z row
    assert (cumbria["value"], cumbria["status"]) == (None, "z")
    flags = bundle.flags.filter(la_code="909", year=2025, indicator="cla_3plus_placements_rate")
    assert flags["flag"].to_list() == ["not_in_existence"]
    # Blackburn with Darwen 2025, 17 to 18, Accommodation considered suitable: c, c
    blackburn = _one(bundle.panel, "889", 2025, "care_leavers_suitable_accommodation_17_18_rate")
    assert (blackburn["value"], blackburn["status"]) == (None, "c")


@pytest.mark.published
def test_no_row_of_the_used_breakdowns_is_dropped(published, bundle):
    """Each total row gives one panel row (its count), each measure row two (count and %)."""
    placement = {"Total children", "With 3 or more placements during the year",
                 "Living with the same carer for at least 2 years"}  # fmt: skip
    used = {
        PLACEMENT: ("cla_placement_stability", "placement_stability", placement),
        ACTIVITY: ("care_leavers_activity", "breakdown", {"Total", outcomes.EET}),
        ACCOMMODATION: (
            "care_leavers_accommodation",
            "breakdown",
            {outcomes.SUITABLE, outcomes.SUITABILITY_TOTAL},
        ),
    }
    for path, (source, column, values) in used.items():
        with open(published / path, encoding="utf-8-sig", newline="") as f:
            rows = [
                r
                for r in csv.DictReader(f)
                if r[column] in values and r.get("cla_group") != "CLA 2 years on 31 March"
            ]
        assert len(rows) % 2 == 0
        assert bundle.panel.filter(source=source).height == len(rows) * 3 // 2, path


@pytest.mark.published
def test_assessment_factor_rates_leeds_2025_by_hand(bundle):
    # Leeds 2025 c3 row: Domestic_Abuse_parent 1371, Mental_Health_parent 1090, Neglect 1622,
    # Child_criminal_exploitation 373, Going_missing 78; ONS mid-2024 Leeds 0-17: 176,239.
    # 1371 x 10000 / 176239 = 77.79 (176239 x 77.75 = 13,702,582 < 13,710,000
    # < 176239 x 77.8 = 13,711,394), so 77.8 to 1 dp; likewise the others.
    expected = {
        "af_domestic_abuse_per_10k": 77.8,
        "af_mental_health_parent_per_10k": 61.8,  # 10,900,000 / 176,239 = 61.85
        "af_neglect_per_10k": 92.0,  # 16,220,000 / 176,239 = 92.03
        "af_child_criminal_exploitation_per_10k": 21.2,  # 3,730,000 / 176,239 = 21.16
        "af_going_missing_per_10k": 4.4,  # 780,000 / 176,239 = 4.43
    }
    for indicator, value in expected.items():
        row = _one(bundle.panel, "383", 2025, indicator)
        assert (row["value"], row["status"]) == (value, None), indicator


@pytest.mark.published
def test_assessment_factor_rates_england_2025_and_markers(bundle):
    # MANIFEST §3: England 2025 over mid-2024 12,183,016 children
    england = {
        "af_domestic_abuse_per_10k": 133.7,  # 162,890
        "af_mental_health_parent_per_10k": 141.0,  # 171,780
        "af_neglect_per_10k": 74.2,  # 90,370
        "af_child_criminal_exploitation_per_10k": 13.3,  # 16,250
        "af_going_missing_per_10k": 13.9,  # 16,940
    }
    for indicator, value in england.items():
        assert _one(bundle.panel, "970", 2025, indicator)["value"] == value, indicator
    # not collected before 2022: x for every LA in 2021, never 0
    cce_2021 = bundle.panel.filter(indicator="af_child_criminal_exploitation_per_10k", year=2021)
    assert cce_2021.height > 150 and set(cce_2021["status"]) == {"x"}
    # Bournemouth 2018: counts published, population x (mid-2017) -> rate x
    assert _one(bundle.panel, "837", 2018, "af_neglect_per_10k")["status"] == "x"
    # Hampshire 2024: u in every column
    assert _one(bundle.panel, "850", 2024, "af_domestic_abuse_per_10k")["status"] == "u"


@pytest.mark.published
def test_icpc_conversion_rate_by_hand(bundle):
    # Leeds 2025 c4: Section47 3097, ICPC 1000 -> 32.29 -> 32.3
    assert _one(bundle.panel, "383", 2025, "icpc_s47_conversion_rate")["value"] == 32.3
    # England 2025: 72,100 / 230,590 = 31.27 -> 31.3
    assert _one(bundle.panel, "970", 2025, "icpc_s47_conversion_rate")["value"] == 31.3


@pytest.mark.published
def test_a_k_cell_reaches_the_panel_as_null_with_status_k(published, tmp_path):
    """The real folder, with the activity file swapped for a hand-made one in which Leeds'
    19-21 EET share is `k` (1 of 250). The panel holds null + "k", and a flag says why."""
    geo = la(2025, "383", "Leeds")
    rows = _activity_rows(geo, "17 to 18 years", {"Total": ("12", "100")})
    rows += _activity_rows(
        geo, "19 to 21 years", {"Total": ("250", "100"), outcomes.EET: ("1", "k")}
    )
    files = panel.input_files(published)
    files["care_leavers_activity"] = write_ees(tmp_path / "a.csv", LEAVER_COLUMNS, rows)
    built = panel.build(files)
    row = _one(built.panel, "383", 2025, "care_leavers_eet_19_21_rate")
    assert (row["value"], row["status"]) == (None, "k")
    flag = built.flags.filter(la_code="383", year=2025, indicator="care_leavers_eet_19_21_rate")
    assert flag.select("flag", "explanation").rows() == [
        ("rounds_to_zero", "A positive value that rounds to zero (k).")
    ]


@pytest.mark.published
def test_reading_the_real_k_cells_is_not_an_error(published):
    # Wirral 2025, 19 to 21, Total information not known: 1, k (a row the panel leaves out)
    assert _cells(published / ACTIVITY, "344", 2025, breakdown="Total information not known",
                  care_leaver_age="19 to 21 years")["care_leaver_percent"] == "k"  # fmt: skip
    obs = outcomes.read_care_leavers_activity(published / ACTIVITY)
    assert _one(obs, "344", 2025, "care_leavers_19_21_total")["status"] is None


@pytest.mark.published
def test_c3_counts_match_the_file(published):
    obs = cin.read_c3(published / C3)
    row = _cells(published / C3, "383", 2022)
    assert _one(obs, "383", 2022, "af_domestic_abuse_count")["value"] == float(
        row["Domestic_Abuse_parent"]
    )
    pop = read_population(published / POP)
    assert _one(pop, "383", 2024, "population_0_17")["value"] == 176239
