"""Rich display in Jupyter: readable summaries, every name escaped; indicators.describe."""

from __future__ import annotations

import polars as pl

from benchmarks import indicators
from benchmarks.display import Comparison, comparison_html
from benchmarks.groups import GroupSpec
from benchmarks.panel import Bundle
from benchmarks.schema import (
    AUTHORITIES_SCHEMA,
    FLAGS_SCHEMA,
    INSPECTIONS_SCHEMA,
    NEIGHBOURS_SCHEMA,
    PANEL_SCHEMA,
)

EVIL = "<script>alert('x')</script>"
SAFE = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def _assert_escaped(html: str) -> None:
    assert "<script" not in html
    assert SAFE in html


def test_bundle_summary_escapes_names_and_says_demo() -> None:
    panel = pl.DataFrame(
        {
            "la_code": ["901", "901"],
            "la_name": [EVIL, EVIL],
            "year": [2024, 2025],
            "indicator": ["sw_fte", "sw_fte"],
            "value": [1.0, None],
            "status": [None, "c"],
            "source": ["csww", "csww"],
        },
        schema=PANEL_SCHEMA,
    )
    bundle = Bundle(
        panel=panel,
        authorities=pl.DataFrame(schema=AUTHORITIES_SCHEMA),
        inspections=pl.DataFrame(schema=INSPECTIONS_SCHEMA),
        neighbours=pl.DataFrame(schema=NEIGHBOURS_SCHEMA),
        flags=pl.DataFrame(schema=FLAGS_SCHEMA),
        meta={
            "demo": True,
            "origin": EVIL,
            "sources": [{"id": "csww", "title": EVIL, "publisher": "DfE", "official": False}],
        },
    )
    html = bundle._repr_html_()
    _assert_escaped(html)
    assert "Demonstration data: invented values" in html
    assert "years 2024&ndash;2025" in html and "1 values carry a status marker" in html
    assert "unofficial" in html


def test_group_summary_escapes_name_description_and_labels() -> None:
    spec = GroupSpec(
        name=EVIL,
        description=EVIL,
        focal=pl.DataFrame(
            {"la_code": ["901", "902", "903"], "key": ["k", "k", None], "group_label": [EVIL] * 3}
        ),
        members=pl.DataFrame({"key": ["k", "k"], "member_code": ["901", "902"]}),
    )
    html = spec._repr_html_()
    _assert_escaped(html)
    assert "2 authorities have a group; 1 distinct group." in html


def _comparison() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "la_code": ["901", "901"],
            "la_name": [EVIL, EVIL],
            "year": [2025, 2025],
            "indicator": ["sw_turnover_rate", "sw_agency_rate"],
            "group": ["sn2025", "sn2025"],
            "group_label": [EVIL, EVIL],
            "value": [12.25, None],
            "status": [None, "c"],
            "comparator": [10.0, 9.5],
            "england": [15.0, 16.0],
            "band": ["B", None],
            "significance": ["not significantly different", None],
            "recent_trend": ["no significant change", None],
        }
    )


def test_comparison_summary_escapes_and_says_markers() -> None:
    shown = Comparison(_comparison())
    html = shown._repr_html_()
    _assert_escaped(html)
    assert "Social worker turnover" in html and "12.25" in html
    assert "c: suppressed to protect confidentiality" in html  # the marker said, not 0
    assert "no significant change" in html
    # still a DataFrame; derived frames are plain DataFrames with polars' own display
    assert isinstance(shown, pl.DataFrame)
    assert type(shown.filter(pl.col("value").is_not_null())) is pl.DataFrame


def test_comparison_summary_falls_back_for_other_shapes() -> None:
    assert comparison_html(pl.DataFrame({"a": [1]})) is None
    assert "<table" in Comparison(pl.DataFrame({"a": [1]}))._repr_html_()


def test_describe_says_definition_unit_polarity_source_date_and_breaks() -> None:
    text = str(indicators.describe("sw_agency_rate"))
    assert text.splitlines()[0] == "Agency social worker rate (sw_agency_rate)"
    for expected in (
        "definition: FTE agency social workers divided by",
        "unit: %",
        "polarity: lower is better",
        "(`csww`), published column `agency_rate_fte`",
        "reference date: 30 September (workforce year)",
        "series breaks: none known",
    ):
        assert expected in text
    caseload = indicators.describe("sw_caseload")
    assert "series breaks: 2024: From 2024 DfE validated case holders" in str(caseload)
    html = caseload._repr_html_()
    assert "<th style='text-align:left;padding-right:1em'>series breaks</th>" in html
