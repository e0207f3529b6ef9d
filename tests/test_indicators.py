"""The indicator catalogue: the ids the issue requires, with coherent metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import indicators

REQUIRED = {
    "sw_fte": "FTE",
    "sw_turnover_rate": "%",
    "sw_agency_rate": "%",
    "sw_vacancy_rate": "%",
    "sw_caseload": "cases per FTE",
    "sw_absence_rate": "%",
    "sw_starters_fte": "FTE",
    "sw_leavers_fte": "FTE",
    "cin_rate_per_10k": "per 10,000 children",
    "referral_rate_per_10k": "per 10,000 children",
    "rereferral_rate": "%",
    "s47_rate_per_10k": "per 10,000 children",
    "icpc_rate_per_10k": "per 10,000 children",
    "cpp_rate_per_10k": "per 10,000 children",
    "cpp_repeat_rate": "%",
    "cla_rate_per_10k": "per 10,000 children",
    "cla_3plus_sw_rate": "%",
}


@pytest.mark.parametrize(("ident", "unit"), REQUIRED.items())
def test_required_indicator_exists_with_its_unit(ident: str, unit: str) -> None:
    ind = indicators.get(ident)
    assert ind.unit == unit
    assert ind.label and ind.definition and ind.reference_date and ind.source


def test_lower_is_better_for_workforce_instability() -> None:
    for ident in ("sw_turnover_rate", "sw_agency_rate", "sw_vacancy_rate", "sw_caseload"):
        assert indicators.get(ident).polarity == "lower_better"
    assert indicators.get("cin_rate_per_10k").polarity == "neutral"


def test_numerators_and_denominators_are_catalogued_ids() -> None:
    cat = indicators.catalogue()
    for ind in cat.values():
        for ref in [ind.numerator, *ind.denominator]:
            if ref is not None:
                assert ref in cat, f"{ind.id} refers to unknown {ref}"


def test_unknown_indicator_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="sw_turnover_rate"):
        indicators.get("turnover")


def test_docs_indicators_md_is_generated_from_the_catalogue() -> None:
    doc = Path(__file__).resolve().parents[1] / "docs" / "indicators.md"
    assert doc.read_text(encoding="utf-8") == indicators.catalogue_markdown()
