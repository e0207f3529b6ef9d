"""The children in need census files (B1, C1, C3, C4, D3, D5) in the EES layout.

Counts for the year ending 31 March, from the population of the year before; small
counts suppressed (c), with secondary suppression where one hidden cell could be
recovered; one authority not submitting (x) and one withheld (u). C3 (factors identified
at the end of assessment, 2018-2025) has the published series breaks: factors not yet
collected are x, and the abuse factors split by who abused from 2021.
"""

from __future__ import annotations

from benchmarks.demo.ees import (
    EES_ID,
    QUOTED_EMPTY,
    EesFile,
    Values,
    all_marked,
    mar31,
    pct,
    split,
    suppress_small,
)
from benchmarks.demo.places import Authority
from benchmarks.demo.world import World


def specs(world: World) -> list[EesFile]:
    """The five children in need files, each generated from the same invented world."""
    w = world

    def pop(a: Authority, year: int) -> float:
        return w.population(a.code, year)

    def rate(a: Authority, name: str, year: int, **kw: float) -> float:
        return w.level(a.code, name, year, **kw)

    def marked(a: Authority, year: int, counts: dict[str, float], columns: list[str]) -> Values:
        if a.code == "204" and year in (2021, 2022):  # not submitted
            return all_marked(columns, "x")
        if a.code == "850" and year == 2024:  # withheld: low reliability
            return all_marked(columns, "u")
        small = suppress_small(counts, counts)
        for column in columns:  # a percentage of a suppressed count is suppressed too
            base = column.removesuffix("_percent")
            if base != column and (base in small or f"{base}_count" in small):
                small[column] = "c"
        return small

    def b1(a: Authority, year: int, _: str) -> tuple[dict[str, float], Values]:
        at31 = (
            pop(a, year - 1)
            * rate(a, "cin", year, centre=330, spread=0.22, low=200, high=600, deprivation=0.15)
            / 1e4
        )
        r = w.rng("b1", a.code, year)
        counts = {
            "Anypoint_episodes": at31 * r.uniform(1.75, 2.0),
            "Started_episodes": at31 * r.uniform(0.9, 1.1),
            "Ended_episodes": at31 * r.uniform(0.85, 1.0),
            "At31_episodes": at31,
            "awaiting_assessment": at31 * r.uniform(0.01, 0.08),
        }
        counts = {k: float(round(v)) for k, v in counts.items()}
        for kind in ("Anypoint", "Started", "Ended"):
            counts[f"{kind}_child"] = float(
                round(counts[f"{kind}_episodes"] * r.uniform(0.9, 0.96))
            )
        return counts, marked(a, year, counts, list(B1))

    B1 = {
        c: 0
        for c in [
            "Anypoint_episodes",
            "Anypoint_child",
            "Started_episodes",
            "Started_child",
            "Ended_episodes",
            "Ended_child",
            "At31_episodes",
            "awaiting_assessment",
        ]
    }

    def c1(a: Authority, year: int, _: str) -> tuple[dict[str, float], Values]:
        referrals = (
            pop(a, year - 1)
            * rate(
                a, "referrals", year, centre=540, spread=0.25, low=300, high=900, deprivation=0.15
            )
            / 1e4
        )
        r = w.rng("c1", a.code, year)
        n = {
            "referral_count": round(referrals),
            "rereferral_count": round(
                referrals
                * rate(a, "rereferral", year, centre=21, spread=0.2, low=12, high=32)
                / 100
            ),
            "no_further_action_count": round(referrals * r.uniform(0.0, 0.14)),
            "not_in_need_count": round(referrals * r.uniform(0.15, 0.4)),
            "referral_child_count": round(referrals * r.uniform(0.85, 0.92)),
        }
        n["rereferral_child_count"] = round(n["rereferral_count"] * r.uniform(0.78, 0.86))
        counts = {k: float(v) for k, v in n.items()}
        return counts, marked(a, year, counts, list(C1))

    def c1_derive(n: dict[str, float], _: str) -> Values:
        return {
            "rereferral_percent": pct(n["rereferral_count"], n["referral_count"]),
            "no_further_action_percent": pct(n["no_further_action_count"], n["referral_count"]),
            "not_in_need_percent": pct(n["not_in_need_count"], n["referral_count"]),
            "rereferral_child_percent": pct(n["rereferral_child_count"], n["referral_child_count"]),
        }

    C1 = {
        c: (1 if c.endswith("percent") else 0)
        for c in [
            "referral_count",
            "rereferral_count",
            "rereferral_percent",
            "no_further_action_count",
            "no_further_action_percent",
            "not_in_need_count",
            "not_in_need_percent",
            "referral_child_count",
            "rereferral_child_count",
            "rereferral_child_percent",
        ]
    }

    DURATIONS = [
        "Duration_0-10_days",
        "Duration_11-15_days",
        "Duration_16-20_days",
        "Duration_21+_days",
    ]
    PERCENTILES = ["Duration_25th_Percentile", "Duration_median", "Duration_75th_Percentile"]

    def c4(a: Authority, year: int, _: str) -> tuple[dict[str, float], Values]:
        p = pop(a, year - 1)
        s47 = (
            p
            * rate(a, "s47", year, centre=170, spread=0.3, low=80, high=350, deprivation=0.15)
            / 1e4
        )
        icpc = min(
            0.6 * s47,
            p
            * rate(a, "icpc", year, centre=60, spread=0.3, low=25, high=120, deprivation=0.15)
            / 1e4,
        )
        if a.code == "420":
            icpc = 0.0
        r = w.rng("c4", a.code, year)
        n = {
            "Section47": round(s47),
            "Section47_child": round(s47 * r.uniform(0.82, 0.9)),
            "ICPC": round(icpc),
            "ICPC_child": round(icpc * r.uniform(0.97, 1.0)),
        }
        shares = [
            r.uniform(0.03, 0.2),
            r.uniform(0.6, 0.8),
            r.uniform(0.04, 0.12),
            r.uniform(0.03, 0.14),
        ]
        n.update(zip(DURATIONS, split(n["ICPC"], shares), strict=True))
        counts = {k: float(v) for k, v in n.items()}
        fixed = marked(a, year, counts, [*C4])
        if not counts["ICPC"]:
            fixed.update(all_marked(PERCENTILES, "z"))
        else:
            q1 = r.choice([10, 11, 12, 12, 13, 13])
            fixed.update(
                {
                    PERCENTILES[0]: q1,
                    PERCENTILES[1]: q1 + r.choice([1, 1, 2]),
                    PERCENTILES[2]: q1 + r.choice([2, 3, 3, 4, 6]),
                }
            )
            fixed.update(marked(a, year, counts, PERCENTILES))
        return counts, fixed

    C4 = {
        c: 0
        for c in ["Section47", "Section47_child", "ICPC", "ICPC_child", *DURATIONS, *PERCENTILES]
    }

    def d3(a: Authority, year: int, _: str) -> tuple[dict[str, float], Values]:
        start = (
            pop(a, year - 1)
            * rate(a, "cpp_start", year, centre=52, spread=0.3, low=20, high=100, deprivation=0.15)
            / 1e4
        )
        later = start * rate(a, "cpp_repeat", year, centre=23, spread=0.2, low=12, high=35) / 100
        counts = {"CPP_start": float(round(start)), "CPP_subsequent": float(round(later))}
        return counts, marked(a, year, counts, list(D3))

    D3 = {"CPP_start": 0, "CPP_subsequent": 0, "CPP_subsequent_percent": 1}

    BANDS = [
        "3_months_or_less",
        "more_than_3_months_6_months",
        "more_than_6_months_less_than_1_year",
        "1_year_less_than_2_years",
        "2_years_or_more",
    ]

    def d5(a: Authority, year: int, _: str) -> tuple[dict[str, float], Values]:
        total = round(
            pop(a, year - 1)
            * rate(a, "cpp", year, centre=42, spread=0.3, low=15, high=90, deprivation=0.15)
            / 1e4
        )
        r = w.rng("d5", a.code, year)
        shares = [
            r.uniform(0.25, 0.38),
            r.uniform(0.2, 0.3),
            r.uniform(0.2, 0.3),
            r.uniform(0.08, 0.18),
            r.uniform(0.0, 0.05),
        ]
        counts = {
            "CPP_At31": float(total),
            **{b: float(n) for b, n in zip(BANDS, split(total, shares), strict=True)},
        }
        fixed = marked(a, year, counts, list(D5))
        hidden = [b for b in BANDS if fixed.get(b) == "c"]
        if len(hidden) == 1:  # secondary suppression: one hidden cell could be recovered
            others = sorted((counts[b], b) for b in BANDS if b not in hidden and counts[b] > 0)
            hidden += [others[0][1]] if others else []
        fixed.update({k: "c" for b in hidden for k in (b, f"{b}_percent")})
        return counts, fixed

    D5 = {
        "CPP_At31": 0,
        **{k: (1 if k.endswith("percent") else 0) for b in BANDS for k in (b, f"{b}_percent")},
    }

    def d5_derive(n: dict[str, float], _: str) -> Values:
        return {f"{b}_percent": pct(n[b], n["CPP_At31"]) for b in BANDS}

    def c3(a: Authority, year: int, _: str) -> tuple[dict[str, float], Values]:
        episodes = (
            0.0
            if a.code == "420" and year == 2019  # as published: no assessments that year
            else pop(a, year - 1)
            * rate(a, "c3", year, centre=430, spread=0.2, low=250, high=800, deprivation=0.15)
            / 1e4
        )
        r = w.rng("c3", a.code, year)
        counts = {"Episodes_with_assessment_factor": float(round(episodes))}
        for factor, centre in C3_FACTORS.items():
            if factor in C3_STEADY:  # the catalogue's factors: a steady level per authority
                share = rate(a, f"c3 {factor}", year, centre=centre, spread=0.25, low=0, high=60)
            else:
                share = centre * r.uniform(0.5, 1.6)
            counts[factor] = float(round(episodes * share / 100))
        for kind, centre in (("Physical", 14.0), ("Sexual", 6.0)):
            whole = episodes * rate(
                a, f"c3 {kind}", year, centre=centre, spread=0.2, low=2, high=30
            )
            if year <= 2020:  # one unsplit factor
                counts[f"{kind}_Abuse_unknown"] = float(round(whole / 100))
                continue
            unsplit = whole / 100 * (2025 - year) / 5  # recording moves to the split factors
            child = (whole / 100 - unsplit) * r.uniform(0.15, 0.45)
            counts[f"{kind}_Abuse_unknown"] = float(round(unsplit))
            counts[f"{kind}_Abuse_child_on_child"] = float(round(child))
            counts[f"{kind}_Abuse_adult_on_child"] = float(round(whole / 100 - unsplit - child))
        if year >= 2022:
            share = rate(
                a, "c3 cce", year, centre=2.0 + 0.4 * (year - 2022), spread=0.3, low=0.2, high=8
            )
            counts["Child_criminal_exploitation"] = float(round(episodes * share / 100))
        collected = [c for c in C3 if c in counts]
        fixed = marked(a, year, counts, collected)
        if not episodes:
            fixed = all_marked(collected, "z")
        return counts, fixed

    def c3_not_collected(n: dict[str, float], _: str) -> Values:
        return {c: "x" for c in C3 if c not in n}

    C3 = dict.fromkeys(C3_COLUMNS, 0)

    return [
        EesFile(
            "demand/b1_children_in_need_2013_to_2025.csv",
            EES_ID,
            "category",
            ["Children in Need"],
            B1,
            range(2013, 2026),
            mar31,
            b1,
            lambda n, f: {},
        ),
        EesFile(
            "demand/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
            EES_ID,
            "category",
            ["Referrals and Re-referrals"],
            C1,
            range(2013, 2026),
            mar31,
            c1,
            c1_derive,
        ),
        EesFile(
            "demand/c3_factors_identified_at_end_of_assessment_2018_to_2025.csv",
            EES_ID,
            "category",
            ["Factors identified at the end of assessment"],
            C3,
            range(2018, 2026),
            mar31,
            c3,
            c3_not_collected,
        ),
        EesFile(
            "demand/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv",
            EES_ID,
            "category",
            ["Section 47s and Initial Child Protection Conferences"],
            C4,
            range(2013, 2026),
            mar31,
            c4,
            lambda n, f: {},
            aggregate_fixed={PERCENTILES[0]: 13, PERCENTILES[1]: 14, PERCENTILES[2]: 15},
            new_code=_c4_code,
            quote_empty=QUOTED_EMPTY,
        ),
        EesFile(
            "demand/d3_cpps_subsequent_plan_2013_to_2025.csv",
            EES_ID,
            "category",
            ["Child Protection Plans which are a second or subsequent plan"],
            D3,
            range(2013, 2026),
            mar31,
            d3,
            lambda n, f: {"CPP_subsequent_percent": pct(n["CPP_subsequent"], n["CPP_start"])},
            quote_empty=QUOTED_EMPTY,
        ),
        EesFile(
            "demand/d5_cpps_at31march_by_duration_2013_to_2025.csv",
            EES_ID,
            "category",
            ["Child Protection Plans by length of time"],
            D5,
            range(2013, 2026),
            mar31,
            d5,
            d5_derive,
            quote_empty=QUOTED_EMPTY,
        ),
    ]


#: C3 factors other than abuse and child criminal exploitation, with a typical share of
#: episodes (%), near England's in 2025.
C3_FACTORS = {
    "Alcohol_Misuse_child": 2.1,
    "Alcohol_Misuse_parent": 14.3,
    "Alcohol_Misuse_person": 2.3,
    "Drug_Misuse_child": 4.8,
    "Drug_Misuse_parent": 14.1,
    "Drug_Misuse_person": 3.1,
    "Domestic_Abuse_child": 11.3,
    "Domestic_Abuse_parent": 31.7,
    "Domestic_Abuse_person": 5.0,
    "Mental_Health_child": 17.6,
    "Mental_Health_parent": 33.5,
    "Mental_Health_person": 4.6,
    "Learning_Disability_child": 12.3,
    "Learning_Disability_parent": 3.0,
    "Learning_Disability_person": 1.5,
    "Physical_Disability_child": 4.7,
    "Physical_Disability_parent": 5.4,
    "Physical_Disability_person": 1.0,
    "Young_Carer": 3.7,
    "Privately_fostered": 0.4,
    "Unaccompanied_asylum_seeker": 1.2,
    "Going_missing": 3.3,
    "Child_sexual_exploitation": 2.4,
    "Trafficking": 0.4,
    "Gangs": 1.7,
    "Socially_unacceptable_behaviour": 7.0,
    "Self_harm": 5.0,
    "Neglect": 17.6,
    "Emotional_Abuse": 19.0,
    "Female_Genital_Mutilation": 0.15,
    "Faith_linked_abuse": 0.44,
    "Other": 16.3,
}
#: The factors the catalogue reads: each authority keeps its own level over the years.
C3_STEADY = {"Domestic_Abuse_parent", "Mental_Health_parent", "Neglect", "Going_missing"}
#: The C3 value columns in the published order.
C3_COLUMNS = [
    "Episodes_with_assessment_factor",
    *list(C3_FACTORS)[:29],
    *(
        f"{kind}_Abuse_{who}"
        for kind in ("Physical", "Sexual")
        for who in ("unknown", "child_on_child", "adult_on_child")
    ),
    "Female_Genital_Mutilation",
    "Faith_linked_abuse",
    "Child_criminal_exploitation",
    "Other",
]


def _c4_code(a: Authority, year: int) -> str:
    """C4 still gives Gateshead and Northumberland their pre-2013 ONS codes for 2013-2019."""
    old = {"390": "E08000020", "929": "E06000048"}
    return old[a.code] if a.code in old and year <= 2019 else a.ons
