"""A deterministic demonstration dataset in the publishers' exact layouts (invented values).

`write_demo(dest)` writes every file of the official data folder (same subfolders, file
names, columns, sheets and header rows) for the real local authorities, with plausible
values drawn from a seeded generator. Nothing in it is real data except the authorities'
public names, codes and regions. The folder carries a `DEMONSTRATION_DATA` marker file so
everything downstream can say so.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, cached_property, partial
from itertools import groupby
from pathlib import Path
from statistics import NormalDist
from typing import TypeVar

from benchmarks.datadir import DEMO_MARKER
from benchmarks.errors import BenchmarksError
from benchmarks.sources._ees import ID_COLUMNS

# The authorities: 3-digit DfE code | ONS code | DfE name | LAIT type | region (E1200000n)
# | first day (blank = before 2009) | last day (blank = live). These are public identifiers.
# Rows ending 2013-03-31 are old ONS codes that only the C4 file still uses for 2013-2019.
_AUTHORITIES = """\
840|E06000047|County Durham|UA|1|2009-04-01|
841|E06000005|Darlington|UA|1||
390|E08000020|Gateshead|MD|1||2013-03-31
390|E08000037|Gateshead|MD|1|2013-04-01|
805|E06000001|Hartlepool|UA|1||
806|E06000002|Middlesbrough|UA|1||
391|E08000021|Newcastle upon Tyne|MD|1||
392|E08000022|North Tyneside|MD|1||
929|E06000048|Northumberland|UA|1|2009-04-01|2013-03-31
929|E06000057|Northumberland|UA|1|2013-04-01|
807|E06000003|Redcar and Cleveland|UA|1||
393|E08000023|South Tyneside|MD|1||
808|E06000004|Stockton-on-Tees|UA|1||
394|E08000024|Sunderland|MD|1||
889|E06000008|Blackburn with Darwen|UA|2||
890|E06000009|Blackpool|UA|2||
350|E08000001|Bolton|MD|2||
351|E08000002|Bury|MD|2||
895|E06000049|Cheshire East|UA|2|2009-04-01|
896|E06000050|Cheshire West and Chester|UA|2|2009-04-01|
942|E06000063|Cumberland|UA|2|2023-04-01|
909|E10000006|Cumbria|SC|2||2023-03-31
876|E06000006|Halton|UA|2||
340|E08000011|Knowsley|MD|2||
888|E10000017|Lancashire|SC|2||
341|E08000012|Liverpool|MD|2||
352|E08000003|Manchester|MD|2||
353|E08000004|Oldham|MD|2||
354|E08000005|Rochdale|MD|2||
355|E08000006|Salford|MD|2||
343|E08000014|Sefton|MD|2||
342|E08000013|St. Helens|MD|2||
356|E08000007|Stockport|MD|2||
357|E08000008|Tameside|MD|2||
358|E08000009|Trafford|MD|2||
877|E06000007|Warrington|UA|2||
943|E06000064|Westmorland and Furness|UA|2|2023-04-01|
359|E08000010|Wigan|MD|2||
344|E08000015|Wirral|MD|2||
370|E08000016|Barnsley|MD|3||2025-04-30
370|E08000038|Barnsley|MD|3|2025-05-01|
380|E08000032|Bradford|MD|3||
381|E08000033|Calderdale|MD|3||
371|E08000017|Doncaster|MD|3||
811|E06000011|East Riding of Yorkshire|UA|3||
810|E06000010|Kingston upon Hull, City of|UA|3||
382|E08000034|Kirklees|MD|3||
383|E08000035|Leeds|MD|3||
812|E06000012|North East Lincolnshire|UA|3||
813|E06000013|North Lincolnshire|UA|3||
815|E06000065|North Yorkshire|SC|3|2023-04-01|
815|E10000023|North Yorkshire|SC|3||2023-03-31
372|E08000018|Rotherham|MD|3||
373|E08000019|Sheffield|MD|3||2025-04-30
373|E08000039|Sheffield|MD|3|2025-05-01|
384|E08000036|Wakefield|MD|3||
816|E06000014|York|UA|3||
831|E06000015|Derby|UA|4||
830|E10000007|Derbyshire|SC|4||
856|E06000016|Leicester|UA|4||
855|E10000018|Leicestershire|SC|4||
925|E10000019|Lincolnshire|SC|4||
940|E06000061|North Northamptonshire|UA|4|2021-04-01|
928|E10000021|Northamptonshire|SC|4||2021-03-31
892|E06000018|Nottingham|UA|4||
891|E10000024|Nottinghamshire|SC|4||
857|E06000017|Rutland|UA|4||
941|E06000062|West Northamptonshire|UA|4|2021-04-01|
330|E08000025|Birmingham|MD|5||
331|E08000026|Coventry|MD|5||
332|E08000027|Dudley|MD|5||
884|E06000019|Herefordshire, County of|UA|5||
333|E08000028|Sandwell|MD|5||
893|E06000051|Shropshire|UA|5|2009-04-01|
334|E08000029|Solihull|MD|5||
860|E10000028|Staffordshire|SC|5||
861|E06000021|Stoke-on-Trent|UA|5||
894|E06000020|Telford and Wrekin|UA|5||
335|E08000030|Walsall|MD|5||
937|E10000031|Warwickshire|SC|5||
336|E08000031|Wolverhampton|MD|5||
885|E10000034|Worcestershire|SC|5||
822|E06000055|Bedford|UA|6|2009-04-01|
873|E10000003|Cambridgeshire|SC|6||
823|E06000056|Central Bedfordshire|UA|6|2009-04-01|
881|E10000012|Essex|SC|6||
919|E10000015|Hertfordshire|SC|6||
821|E06000032|Luton|UA|6||
926|E10000020|Norfolk|SC|6||
874|E06000031|Peterborough|UA|6||
882|E06000033|Southend-on-Sea|UA|6||
935|E10000029|Suffolk|SC|6||
883|E06000034|Thurrock|UA|6||
301|E09000002|Barking and Dagenham|OLB|7||
302|E09000003|Barnet|OLB|7||
303|E09000004|Bexley|OLB|7||
304|E09000005|Brent|OLB|7||
305|E09000006|Bromley|OLB|7||
202|E09000007|Camden|ILB|7||
201|E09000001|City of London|ILB|7||
306|E09000008|Croydon|OLB|7||
307|E09000009|Ealing|OLB|7||
308|E09000010|Enfield|OLB|7||
203|E09000011|Greenwich|OLB|7||
204|E09000012|Hackney|ILB|7||
205|E09000013|Hammersmith and Fulham|ILB|7||
309|E09000014|Haringey|ILB|7||
310|E09000015|Harrow|OLB|7||
311|E09000016|Havering|OLB|7||
312|E09000017|Hillingdon|OLB|7||
313|E09000018|Hounslow|OLB|7||
206|E09000019|Islington|ILB|7||
207|E09000020|Kensington and Chelsea|ILB|7||
314|E09000021|Kingston upon Thames|OLB|7||
208|E09000022|Lambeth|ILB|7||
209|E09000023|Lewisham|ILB|7||
315|E09000024|Merton|OLB|7||
316|E09000025|Newham|ILB|7||
317|E09000026|Redbridge|OLB|7||
318|E09000027|Richmond upon Thames|OLB|7||
210|E09000028|Southwark|ILB|7||
319|E09000029|Sutton|OLB|7||
211|E09000030|Tower Hamlets|ILB|7||
320|E09000031|Waltham Forest|OLB|7||
212|E09000032|Wandsworth|ILB|7||
213|E09000033|Westminster|ILB|7||
867|E06000036|Bracknell Forest|UA|8||
846|E06000043|Brighton and Hove|UA|8||
825|E06000060|Buckinghamshire|SC|8|2020-04-01|
825|E10000002|Buckinghamshire|SC|8||2020-03-31
845|E10000011|East Sussex|SC|8||
850|E10000014|Hampshire|SC|8||
921|E06000046|Isle of Wight|UA|8||
886|E10000016|Kent|SC|8||
887|E06000035|Medway|UA|8||
826|E06000042|Milton Keynes|UA|8||
931|E10000025|Oxfordshire|SC|8||
851|E06000044|Portsmouth|UA|8||
870|E06000038|Reading|UA|8||
871|E06000039|Slough|UA|8||
852|E06000045|Southampton|UA|8||
936|E10000030|Surrey|SC|8||
869|E06000037|West Berkshire|UA|8||
938|E10000032|West Sussex|SC|8||
868|E06000040|Windsor and Maidenhead|UA|8||
872|E06000041|Wokingham|UA|8||
800|E06000022|Bath and North East Somerset|UA|9||
837|E06000028|Bournemouth|UA|9||2019-03-31
839|E06000058|Bournemouth, Christchurch and Poole|UA|9|2019-04-01|
801|E06000023|Bristol, City of|UA|9||
908|E06000052|Cornwall|UA|9|2009-04-01|
878|E10000008|Devon|SC|9||
835|E10000009|Dorset|SC|9||2019-03-31
838|E06000059|Dorset|UA|9|2019-04-01|
916|E10000013|Gloucestershire|SC|9||
420|E06000053|Isles of Scilly|UA|9|2009-04-01|
802|E06000024|North Somerset|UA|9||
879|E06000026|Plymouth|UA|9||
836|E06000029|Poole|UA|9||2019-03-31
933|E06000066|Somerset|SC|9|2023-04-01|
933|E10000027|Somerset|SC|9||2023-03-31
803|E06000025|South Gloucestershire|UA|9||
866|E06000030|Swindon|UA|9||
880|E06000027|Torbay|UA|9||
865|E06000054|Wiltshire|UA|9|2009-04-01|
"""

REGIONS = {
    1: "North East",
    2: "North West",
    3: "Yorkshire and The Humber",
    4: "East Midlands",
    5: "West Midlands",
    6: "East of England",
    7: "London",
    8: "South East",
    9: "South West",
}
INNER, OUTER = ("E13000001", "Inner London"), ("E13000002", "Outer London")
#: Regional rows of an EES file, in file order.
EES_REGIONS = [(f"E1200000{n}", name) for n, name in REGIONS.items()] + [INNER, OUTER]
#: Joint workforce returns: (first partner, second partner, first year of the joint row).
JOINT_RETURNS = [("314", "318", 2009), ("940", "941", 2021)]
LEGACY_END = date(2013, 3, 31)  # old Gateshead/Northumberland codes: C4 only
GRADES = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")
MARKERS = ("c", "x", "z", "u", "low")
_NORMAL = NormalDist()
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
T = TypeVar("T")


@dataclass(frozen=True)
class Authority:
    """One row of the authority table: a code pair valid between two dates."""

    code: str
    ons: str
    name: str
    lait_type: str  # ILB, OLB, MD, UA, SC (as in the LAIT list)
    region: int
    start: date | None
    end: date | None

    @cached_property
    def region_code(self) -> str:
        return f"E1200000{self.region}"

    @cached_property
    def ees_region(self) -> tuple[str, str]:
        """(code, name) of the region an EES file gives this authority (London split)."""
        if self.region == 7:
            return INNER if self.lait_type == "ILB" else OUTER
        return self.region_code, REGIONS[self.region]

    @property
    def legacy(self) -> bool:
        return self.end == LEGACY_END

    def alive(self, when: date) -> bool:
        """True if this code pair was in use on `when` (the 2013 code changes ignored)."""
        if self.legacy:
            return False
        started = (
            self.start is None or self.start <= when or self.start <= LEGACY_END + timedelta(1)
        )
        return started and (self.end is None or when <= self.end)


def _parse_authorities(text: str) -> tuple[Authority, ...]:
    rows = []
    for line in text.strip().splitlines():
        code, ons, name, kind, region, start, end = line.split("|")
        rows.append(
            Authority(
                code,
                ons,
                name,
                kind,
                int(region),
                date.fromisoformat(start) if start else None,
                date.fromisoformat(end) if end else None,
            )
        )
    return tuple(rows)


AUTHORITIES = _parse_authorities(_AUTHORITIES)
#: Codes that no longer exist, with the codes that replaced them (and population shares).
PREDECESSORS = {
    "909": {"942": 1.0, "943": 1.0},
    "928": {"940": 1.0, "941": 1.0},
    "837": {"839": 0.5},
    "836": {"839": 0.4},
    "835": {"838": 1.0, "839": 0.1},
}
#: Names in the publishers' other styles (only where they differ from DfE's).
OFSTED_NAMES = {
    "810": "Kingston upon Hull",
    "884": "Herefordshire",
    "894": "Telford & Wrekin",
    "801": "Bristol",
    "840": "Durham",
    "839": "Bournemouth, Christchurch & Poole",
    "342": "St Helens",
    "205": "Hammersmith & Fulham",
}
OFSTED_2023_NAMES = {**OFSTED_NAMES, "882": "Southend on Sea", "318": "Richmond Upon Thames"}
LAIT_NAMES = {
    "822": "Bedford Borough",
    "840": "Durham",
    "884": "Herefordshire",
    "810": "Kingston Upon Hull, City of",
    "835": "Dorset (Pre LG)",
    "836": "Poole (Pre LG)",
    "837": "Bournemouth (Pre LG)",
}
OFSTED_REGIONS = {
    1: "North East, Yorkshire and the Humber",
    3: "North East, Yorkshire and the Humber",
    2: "North West",
    4: "East Midlands",
    5: "West Midlands",
    6: "East of England",
    7: "London",
    8: "South East",
    9: "South West",
}
#: Statistical-neighbour tool region numbers (alphabetical) and D2I region codes.
SN_REGIONS = {4: 1, 6: 2, 7: 3, 1: 4, 2: 5, 8: 6, 9: 7, 5: 8, 3: 9}
D2I_REGIONS = {1: "NE", 2: "NW", 3: "YH", 4: "EM", 5: "WM", 6: "E", 7: "GL", 8: "SE", 9: "SW"}


@cache
def units_at(when: date) -> tuple[Authority, ...]:
    """The authorities that existed on `when`, one row each."""
    return tuple(a for a in AUTHORITIES if a.alive(when))


def current() -> tuple[Authority, ...]:
    """The 153 authorities of today, with the codes in use at 31 March 2025."""
    return units_at(date(2025, 3, 31))


@cache
def first_day(code: str) -> date | None:
    """The day an authority (by 3-digit code, whatever its ONS codes) came into being."""
    starts = [a.start for a in AUTHORITIES if a.code == code and not a.legacy]
    return None if None in starts else min(d for d in starts if d)


@cache
def by_code(when: date) -> dict[str, Authority]:
    return {a.code: a for a in units_at(when)}


# --------------------------------------------------------------------------------------
# The invented world: one profile per authority code, drawn from a seeded generator.
# --------------------------------------------------------------------------------------

#: Typical 0-17 population by LAIT type (low, high) for the invented profiles.
_POPULATION = {
    "ILB": (35e3, 60e3),
    "OLB": (45e3, 85e3),
    "MD": (45e3, 170e3),
    "UA": (25e3, 95e3),
    "SC": (110e3, 330e3),
}
_TINY = {"201": 900.0, "420": 330.0}  # City of London, Isles of Scilly


def half_up(value: float, dp: int = 0) -> float:
    """Round half away from zero (the publishers' rounding), not Python's half-to-even."""
    scale = 10.0**dp
    scaled = abs(value) * scale
    rounded = math.floor(scaled + 0.5 + 1e-9 * max(1.0, scaled)) / scale
    return math.copysign(rounded, value) if rounded else 0.0


def fmt(value: float | str | None, dp: int = 0) -> str | None:
    """A number as the publishers write it: rounded, no trailing zeros; markers as given."""
    if value is None or isinstance(value, str):
        return value
    if value == int(value):  # most cells are whole numbers: no rounding to do
        return str(int(value))
    text = f"{half_up(value, dp):.{dp}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class World:
    """Seeded, invented quantities for every authority code and year."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        # memoised per world (not per process), so the caches go when the world does
        self.population = cache(self._population)
        self._base = cache(self._draw_base)
        self.cla_count = cache(partial(_cla_count, self))

    def rng(self, *keys: object) -> Draws:
        """An independent stream of draws for one purpose (so files do not shift each other)."""
        return Draws(f"{self.seed}|" + "|".join(map(str, keys)))

    @cached_property
    def profiles(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for a in current():
            r = self.rng("profile", a.code)
            low, high = _POPULATION[a.lait_type]
            deprivation = r.gauss(0.0, 1.0) + {"MD": 0.5, "ILB": 0.4, "SC": -0.5}.get(
                a.lait_type, 0.0
            )
            out[a.code] = {
                "population": _TINY.get(a.code, math.exp(r.uniform(math.log(low), math.log(high)))),
                "growth": r.uniform(-0.004, 0.009),
                "deprivation": deprivation,
                "rurality": r.gauss(0.0, 1.0)
                + (1.2 if a.lait_type == "SC" else -0.6 if a.region == 7 else 0.0),
            }
        return out

    def level(
        self,
        code: str,
        name: str,
        year: int,
        *,
        centre: float,
        spread: float,
        low: float,
        high: float,
        deprivation: float = 0.0,
        trend: float = 0.0,
    ) -> float:
        """An invented rate for one authority and year: a steady level plus a little noise."""
        if code in PREDECESSORS:
            code = next(iter(PREDECESSORS[code]))
        base = self._base(name, code) * spread
        wobble = self.rng("year", name, code, year).gauss(0.0, spread / 4)
        dep = self.profiles[code]["deprivation"]
        value = centre * math.exp(base + wobble + deprivation * dep + trend * (year - 2020))
        return min(high, max(low, value))

    def _draw_base(self, name: str, code: str) -> float:
        return self.rng("level", name, code).gauss(0.0, 1.0)

    def _population(self, code: str, year: int) -> float:
        """Invented children aged 0-17 at mid-year `year`."""
        if code in PREDECESSORS:
            return sum(self.population(c, year) * share for c, share in PREDECESSORS[code].items())
        p = self.profiles[code]
        noise = self.rng("pop", code, year).gauss(0.0, 0.002)
        return round(p["population"] * (1 + p["growth"]) ** (year - 2024) * (1 + noise))


class Draws:
    """Reproducible pseudo-random draws from a text key (hash-based, any Python version)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.n = 0

    def random(self) -> float:
        self.n += 1
        digest = hashlib.blake2b(f"{self.key}#{self.n}".encode(), digest_size=8).digest()
        return (int.from_bytes(digest, "big") >> 11) / 2**53

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def gauss(self, mu: float = 0.0, sigma: float = 1.0) -> float:
        return mu + sigma * _NORMAL.inv_cdf(min(max(self.random(), 1e-12), 1 - 1e-12))

    def choice(self, options: Sequence[T]) -> T:
        return options[min(int(self.random() * len(options)), len(options) - 1)]


# --------------------------------------------------------------------------------------
# EES-layout CSV files (workforce, children in need, looked after, population)
# --------------------------------------------------------------------------------------

EES_ID = ID_COLUMNS  # the standard EES geography columns, in the publishers' order
#: The looked-after and stability files put la_name before new_la_code.
EES_ID_CLA = [*EES_ID[:8], "la_name", "new_la_code"]

Values = dict[str, "float | str | None"]
LaValues = Callable[[Authority, int, str], "tuple[dict[str, float] | None, Values]"]


@dataclass
class EesFile:
    """How to generate one EES file: its columns, years and the invented values."""

    path: str
    id_columns: list[str]
    filter_column: str  # e.g. "category" or "population_type"
    filters: list[str]
    columns: dict[str, int]  # value column -> decimal places
    years: Sequence[int]
    when: Callable[[int], date]  # the reference date of a year (who existed)
    la_values: LaValues  # (true counts or None, displayed overrides incl. markers)
    derive: Callable[[dict[str, float], str], Values]  # rates/percentages from counts
    round_to: int | None = 10  # England/regional counts rounded to the nearest ...
    exact: frozenset[str] = frozenset()  # ... except these columns (e.g. populations)
    aggregate_fixed: Values | None = None
    units: Callable[[int], list[Authority]] | None = None
    new_code: Callable[[Authority, int], str] | None = None
    quote_empty: frozenset[str] = frozenset()
    bom: bool = False
    extra_filters: list[tuple[str, str]] | None = None  # constant columns before the filter


def pct(numerator: float | None, denominator: float | None, dp: int = 1) -> float | str:
    """A percentage, or 'z' when the denominator is zero."""
    if numerator is None or denominator is None:
        return "x"
    return "z" if denominator == 0 else half_up(numerator / denominator * 100, dp)


def ees_rows(spec: EesFile) -> list[list[str | None]]:
    """Every row of an EES file: newest year first; National, Regional, then LA rows;
    within a geography one row per filter value (e.g. per population type)."""
    out: list[list[str | None]] = []
    filters = spec.filters or [""]
    for year in sorted(spec.years, reverse=True):
        units = spec.units(year) if spec.units else rows_for_date(spec.when(year))
        la = {flt: [spec.la_values(a, year, flt) for a in units] for flt in filters}
        groups: list[tuple[tuple[str, str] | None, list[int]]] = [(None, list(range(len(units))))]
        for code, name in EES_REGIONS:
            members = [i for i, a in enumerate(units) if code in (a.ees_region[0], a.region_code)]
            groups.append(((code, name), members))
        for geo, members in groups:
            level = "National" if geo is None else "Regional"
            for flt in filters:
                values = _aggregate(spec, [la[flt][i] for i in members], flt)
                out.append(_ees_line(spec, year, level, geo, flt, values))
        for i, a in enumerate(units):
            for flt in filters:
                counts, fixed = la[flt][i]
                shown: Values = {
                    **(counts or {}),
                    **(spec.derive(counts, flt) if counts else {}),
                    **fixed,
                }
                out.append(_ees_line(spec, year, "Local authority", a, flt, shown))
    return out


def rows_for_date(when: date) -> list[Authority]:
    return sorted(units_at(when), key=lambda a: (a.ees_region[0], a.name))


def _aggregate(
    spec: EesFile, members: list[tuple[dict[str, float] | None, Values]], flt: str
) -> Values:
    """An England or regional row: the sum of every member's true counts (suppressed or not),
    rounded as the publisher rounds, with rates worked out from the sums."""
    sums: dict[str, float] = {}
    for counts, _ in members:
        for k, v in (counts or {}).items():
            sums[k] = sums.get(k, 0.0) + v
    if spec.round_to:
        sums = {
            k: v if k in spec.exact else half_up(v / spec.round_to) * spec.round_to
            for k, v in sums.items()
        }
    return {**sums, **spec.derive(sums, flt), **(spec.aggregate_fixed or {})}


def _ees_line(
    spec: EesFile,
    year: int,
    level: str,
    geo: Authority | tuple[str, str] | None,
    flt: str,
    values: Values,
) -> list[str | None]:
    ids: dict[str, str | None] = {
        "time_period": str(year),
        "time_identifier": "Reporting year",
        "geographic_level": level,
        "country_code": "E92000001",
        "country_name": "England",
        "region_code": None,
        "region_name": None,
        "old_la_code": None,
        "new_la_code": None,
        "la_name": None,
    }
    if isinstance(geo, tuple):
        ids["region_code"], ids["region_name"] = geo
    elif isinstance(geo, Authority):
        ids["region_code"], ids["region_name"] = geo.ees_region
        ids["old_la_code"], ids["la_name"] = geo.code, geo.name
        ids["new_la_code"] = spec.new_code(geo, year) if spec.new_code else geo.ons
    line = [ids[c] for c in spec.id_columns]
    line += [value for _, value in spec.extra_filters or []]
    line += [flt] if spec.filter_column else []
    line += [fmt(values.get(c), dp) for c, dp in spec.columns.items()]
    return line


def write_ees(root: Path, spec: EesFile) -> Path:
    header = [*spec.id_columns, *(n for n, _ in spec.extra_filters or [])]
    header += [spec.filter_column] if spec.filter_column else []
    header += list(spec.columns)
    quote = {i for i, c in enumerate(header) if c in spec.quote_empty}
    return write_csv(root / spec.path, header, ees_rows(spec), bom=spec.bom, quote_empty=quote)


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[str | None]],
    *,
    bom: bool = False,
    crlf: bool = False,
    quote_empty: set[int] | None = None,
) -> Path:
    """Write a CSV the way the publishers do: minimal quoting, None as an empty cell.

    Columns in `quote_empty` write a missing value as `""` (some EES files do).
    """
    quote_empty = quote_empty or set()
    end = "\r\n" if crlf else "\n"

    def cell(i: int, value: str | None) -> str:
        if value is None:
            return '""' if i in quote_empty else ""
        if _NEEDS_QUOTES.search(value):
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [",".join(cell(-1, h) for h in header)]
    lines += [",".join(cell(i, v) for i, v in enumerate(row)) for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" if bom else "").encode() + (end.join(lines) + end).encode("utf-8"))
    return path


def _suppress_small(counts: dict[str, float], columns: Iterable[str]) -> Values:
    """'c' for a count of 1 to 5 (the publishers' small-number suppression)."""
    return {c: "c" for c in columns if 0 < counts.get(c, 0) <= 5}


def _all(columns: Iterable[str], marker: str) -> Values:
    return dict.fromkeys(columns, marker)


def _mar31(year: int) -> date:
    return date(year, 3, 31)


def ees_specs(world: World) -> list[EesFile]:
    """The nine EES-layout files, each generated from the same invented world."""
    w = world

    def pop(a: Authority, year: int) -> float:
        return w.population(a.code, year)

    def rate(a: Authority, name: str, year: int, **kw: float) -> float:
        return w.level(a.code, name, year, **kw)

    # -- ONS population (mid-year), x for the pre-2019 Dorset authorities ----------------
    def population(a: Authority, year: int, _: str) -> tuple[dict[str, float] | None, Values]:
        fixed: Values = {"population_estimate": "x"} if a.code in {"835", "836", "837"} else {}
        return {"population_estimate": pop(a, year)}, fixed

    # -- children in need census files (year ending 31 March; population of T-1) -------
    def marked(a: Authority, year: int, counts: dict[str, float], columns: list[str]) -> Values:
        if a.code == "204" and year in (2021, 2022):  # not submitted
            return _all(columns, "x")
        if a.code == "850" and year == 2024:  # withheld: low reliability
            return _all(columns, "u")
        small = _suppress_small(counts, counts)
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
        n.update(zip(DURATIONS, _split(n["ICPC"], shares), strict=True))
        counts = {k: float(v) for k, v in n.items()}
        fixed = marked(a, year, counts, [*C4])
        if not counts["ICPC"]:
            fixed.update(_all(PERCENTILES, "z"))
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
            **{b: float(n) for b, n in zip(BANDS, _split(total, shares), strict=True)},
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

    # -- children looked after: 155 units every year, z where an authority did not exist --
    def cla_units(year: int) -> list[Authority]:
        latest: dict[str, Authority] = {}
        for y in range(2021, 2026):
            for a in units_at(_mar31(y)):
                latest[a.code] = a
        return sorted(latest.values(), key=lambda a: (a.ees_region[0], a.ons))

    def cla(
        a: Authority, year: int, population_type: str
    ) -> tuple[dict[str, float] | None, Values]:
        if a.code not in by_code(_mar31(year)):
            return None, {"population_estimate": "x", "children_count": "z", "rate_per_10000": "z"}
        counts = {
            "population_estimate": pop(a, year - 1),
            "children_count": float(cla_count(w, a.code, year, population_type)),
        }
        fixed: Values = {}
        if a.code == "420":  # as published for the Isles of Scilly
            fixed = {"children_count": "z", "rate_per_10000": "z"}
        elif 0 < counts["children_count"] <= 5:
            fixed = {"children_count": "c", "rate_per_10000": "c"}
        return counts, fixed

    def cla_derive(n: dict[str, float], _: str) -> Values:
        return {
            "rate_per_10000": "z"
            if not n["population_estimate"]
            else half_up(n["children_count"] / n["population_estimate"] * 1e4)
        }

    # -- children looked after with 3 or more social workers (31 March 2024) ------------
    def swcount(a: Authority, year: int, stability: str) -> tuple[dict[str, float] | None, Values]:
        total = cla_count(w, a.code, year, CLA_TYPES[1])
        three = round(
            total
            * w.level(a.code, "sw_stability", year, centre=17, spread=0.35, low=5, high=40)
            / 100
        )
        number = total if stability == SW_STABILITY[0] else three
        if a.code == "302":  # not available
            return None, {"number": "x", "percentage": "x"}
        if a.code == "420":
            return {"number": 0.0, "total": 0.0}, {
                "number": 0 if stability == SW_STABILITY[0] else "z",
                "percentage": "z",
            }
        return {"number": float(number), "total": float(total)}, {}

    def swcount_derive(n: dict[str, float], stability: str) -> Values:
        return {"percentage": pct(n["number"], n["total"], 0)}

    return [
        EesFile(
            "demand/ons_mid-year_population_estimates_2012_to_2024.csv",
            EES_ID,
            "age_group",
            ["Children aged 0 to 17 years"],
            {"population_estimate": 0},
            range(2012, 2025),
            lambda y: date(y, 6, 30),
            population,
            lambda n, f: {},
            round_to=None,
        ),
        EesFile(
            "demand/b1_children_in_need_2013_to_2025.csv",
            EES_ID,
            "category",
            ["Children in Need"],
            B1,
            range(2013, 2026),
            _mar31,
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
            _mar31,
            c1,
            c1_derive,
        ),
        EesFile(
            "demand/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv",
            EES_ID,
            "category",
            ["Section 47s and Initial Child Protection Conferences"],
            C4,
            range(2013, 2026),
            _mar31,
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
            _mar31,
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
            _mar31,
            d5,
            d5_derive,
            quote_empty=QUOTED_EMPTY,
        ),
        EesFile(
            "demand/cla_number_and_rate_per_10k_children.csv",
            EES_ID_CLA,
            "population_type",
            CLA_TYPES,
            {"population_estimate": 0, "children_count": 0, "rate_per_10000": 0},
            range(2021, 2026),
            _mar31,
            cla,
            cla_derive,
            units=cla_units,
            bom=True,
            exact=frozenset({"population_estimate"}),
        ),
        EesFile(
            "workforce/la_cla_swcount.csv",
            EES_ID_CLA,
            "sw_stability",
            SW_STABILITY,
            {"number": 0, "percentage": 0},
            [2024],
            _mar31,
            swcount,
            swcount_derive,
            bom=True,
            extra_filters=[("cla_group", "CLA on 31 March")],
        ),
        csww_spec(w),
    ]


CLA_TYPES = [
    "Children ceasing to be looked after each year",
    "Children looked after on 31 March each year",
    "Children starting to be looked after each year",
]
SW_STABILITY = ["Total children", "3 or more social workers during the year"]
QUOTED_EMPTY = frozenset({"region_code", "region_name", "new_la_code", "la_name"})


def _c4_code(a: Authority, year: int) -> str:
    """C4 still gives Gateshead and Northumberland their pre-2013 ONS codes for 2013-2019."""
    old = {"390": "E08000020", "929": "E06000048"}
    return old[a.code] if a.code in old and year <= 2019 else a.ons


def _split(total: float, shares: Sequence[float]) -> list[int]:
    """Split a whole number into parts proportional to `shares` (largest remainder)."""
    total = int(total)
    weights = [s / sum(shares) * total for s in shares]
    parts = [int(x) for x in weights]
    order = sorted(range(len(shares)), key=lambda i: weights[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def cla_count(world: World, code: str, year: int, population_type: str) -> int:
    """Invented children looked after (31 March), starting or ceasing in the year."""
    return world.cla_count(code, year, population_type)


def _cla_count(world: World, code: str, year: int, population_type: str) -> int:
    if code == "420":  # the Isles of Scilly: none
        return 0
    p = world.population(code, year - 1)
    on31 = world.level(code, "cla", year, centre=68, spread=0.3, low=25, high=160, deprivation=0.3)
    starting = world.level(
        code, "cla_start", year, centre=25, spread=0.3, low=10, high=60, deprivation=0.2
    )
    ceasing = starting * world.rng("cla_cease", code, year).uniform(0.85, 1.05)
    return round(
        p
        * {CLA_TYPES[0]: ceasing, CLA_TYPES[1]: on31, CLA_TYPES[2]: starting}[population_type]
        / 1e4
    )


# -- the social work workforce (30 September; joint returns as one row) ----------------

CSWW = {
    "inpost_fte": 1, "inpost_headcount": 0, "starters_fte": 1, "starters_headcount": 0,
    "leavers_fte": 1, "leavers_headcount": 0, "turnover_rate_fte": 1, "turnover_rate_headcount": 1,
    "agency_fte": 1, "agency_headcount": 0, "agency_rate_fte": 1, "agency_rate_headcount": 1,
    "agency_cover_fte": 1, "agency_cover_rate_fte": 1, "vacancy_fte": 1, "vacancy_rate_fte": 1,
    "vacancy_agency_cover_rate_fte": 1, "case_holders_fte": 1, "cases": 0, "caseload_fte": 1,
    "working_days_lost_fte": 1, "absence_rate_fte": 1,
}  # fmt: skip
WORKING_DAYS = 253


def csww_units(year: int) -> list[Authority]:
    """Authorities with a workforce row at 30 September: joint returns merged into one."""
    alive = {a.code: a for a in units_at(date(year, 9, 30))}
    for first, second, since in JOINT_RETURNS:
        if year >= since and first in alive and second in alive:
            a, b = alive.pop(first), alive.pop(second)
            alive[f"{first} / {second}"] = Authority(
                f"{a.code} / {b.code}", f"{a.ons} / {b.ons}", f"{a.name} / {b.name}",
                a.lait_type, a.region, None, None,
            )  # fmt: skip
    return sorted(alive.values(), key=lambda a: (a.ees_region[0], a.name))


def csww_counts(world: World, code: str, year: int) -> dict[str, float]:
    """Invented workforce counts for one authority (FTE to 1 dp, as published)."""
    if " / " in code:
        parts = [csww_counts(world, c, year) for c in code.split(" / ")]
        return {k: half_up(sum(p[k] for p in parts), CSWW[k]) for k in parts[0]}
    r = world.rng("csww", code, year)
    level = world.level
    if code == "420":
        inpost = 2.0
    else:
        per_child = (
            0.0030 * math.exp(world.rng("csww_size", code).gauss(0, 0.15)) * 1.015 ** (year - 2017)
        )
        inpost = world.population(code, year) * per_child
    turnover = level(code, "turnover", year, centre=15, spread=0.3, low=5, high=30)
    agency = level(code, "agency", year, centre=14, spread=0.55, low=0.5, high=40)
    vacancy = level(code, "vacancy", year, centre=16, spread=0.45, low=3, high=35)
    caseload = level(code, "caseload", year, centre=16, spread=0.15, low=10, high=24)
    absence = level(code, "absence", year, centre=3.3, spread=0.3, low=1, high=6)
    n = {"inpost_fte": inpost, "leavers_fte": inpost * turnover / 100}
    n["starters_fte"] = n["leavers_fte"] * r.uniform(0.8, 1.3)
    n["agency_fte"] = 0.3 if code == "394" and year >= 2023 else inpost * agency / (100 - agency)
    n["vacancy_fte"] = inpost * vacancy / (100 - vacancy)
    n["agency_cover_fte"] = min(n["agency_fte"], n["vacancy_fte"]) * r.uniform(0.6, 1.0)
    n["case_holders_fte"] = inpost * r.uniform(0.55, 0.72)
    n = {k: half_up(v, 1) for k, v in n.items()}
    n["cases"] = float(round(n["case_holders_fte"] * caseload))
    n["working_days_lost_fte"] = half_up(n["inpost_fte"] * WORKING_DAYS * absence / 100, 1)
    for kind in ("inpost", "starters", "leavers", "agency"):
        n[f"{kind}_headcount"] = float(math.ceil(n[f"{kind}_fte"] * r.uniform(1.02, 1.08)))
    return n


def csww_derive(n: dict[str, float], _: str = "") -> Values:
    """The published rates, from the published counts."""
    return {
        "turnover_rate_fte": pct(n["leavers_fte"], n["inpost_fte"]),
        "turnover_rate_headcount": pct(n["leavers_headcount"], n["inpost_headcount"]),
        "agency_rate_fte": pct(n["agency_fte"], n["agency_fte"] + n["inpost_fte"]),
        "agency_rate_headcount": pct(
            n["agency_headcount"], n["agency_headcount"] + n["inpost_headcount"]
        ),
        "agency_cover_rate_fte": pct(n["agency_cover_fte"], n["agency_fte"]),
        "vacancy_rate_fte": pct(n["vacancy_fte"], n["vacancy_fte"] + n["inpost_fte"]),
        "vacancy_agency_cover_rate_fte": pct(n["agency_cover_fte"], n["vacancy_fte"]),
        "caseload_fte": "z"
        if not n["case_holders_fte"]
        else half_up(n["cases"] / n["case_holders_fte"], 1),
        "absence_rate_fte": pct(n["working_days_lost_fte"], n["inpost_fte"] * WORKING_DAYS),
    }


def csww_spec(world: World) -> EesFile:
    def values(a: Authority, year: int, _: str) -> tuple[dict[str, float], Values]:
        counts = csww_counts(world, a.code, year)
        fixed: Values = {}
        if a.code in {"207", "213"} and year == 2025:  # not submitted
            fixed = _all(CSWW, "x")
        elif a.code == "394" and year >= 2023:  # a positive number that rounds to zero
            fixed = _all(["agency_fte", "agency_rate_fte", "agency_cover_fte"], "low")
        elif a.code == "330" and year == 2024:  # withheld: low reliability
            fixed = _all(
                [c for c in CSWW if c.startswith(("agency", "case", "working", "absence"))], "u"
            )
            fixed.update({"vacancy_agency_cover_rate_fte": "u", "cases": "u"})
        elif a.code == "420" and year <= 2018:
            fixed = {"working_days_lost_fte": "c", "absence_rate_fte": "c"}
        return counts, fixed

    return EesFile(
        "workforce/csww_indicators_2017_to_2025.csv", EES_ID, "", [], CSWW, range(2017, 2026),
        lambda y: date(y, 9, 30), values, csww_derive, round_to=None, units=csww_units,
    )  # fmt: skip


# --------------------------------------------------------------------------------------
# Authority lists and lookups
# --------------------------------------------------------------------------------------

ENTITIES = {
    "E06": "Unitary Authorities",
    "E08": "Metropolitan Districts",
    "E09": "London Boroughs",
    "E10": "Counties",
}
#: Joint codes as they appear in the DfE lists: (partners, first day).
JOINT_CODES = [
    (("940", "941"), date(2021, 4, 1)),
    (("942", "943"), date(2023, 4, 1)),
    (("314", "318"), None),
]


def _dmy(d: date | None) -> str | None:
    return d.strftime("%d/%m/%Y") if d else None


def _joint_rows() -> list[Authority]:
    latest = {a.code: a for a in AUTHORITIES if a.end is None}
    rows = []
    for codes, start in JOINT_CODES:
        a, b = (latest[c] for c in codes)
        rows.append(Authority(f"{a.code} / {b.code}", f"{a.ons} / {b.ons}", f"{a.name} / {b.name}",
                              a.lait_type, a.region, start, None))  # fmt: skip
    return rows


def write_authority_lists(root: Path) -> None:
    """las.csv, region_la_hierarchy.csv and regions.csv (DfE's lists of authorities)."""
    everyone = [*AUTHORITIES, *_joint_rows()]
    las = [
        [a.ons, a.name, _dmy(a.start) or "01/01/2009", _dmy(a.end), a.region_code, a.ons[:3],
         ENTITIES[a.ons[:3]], "terminated" if a.end else "live", a.code]
        for a in sorted(everyone, key=lambda a: (a.ons, a.end or date.max))
    ]  # fmt: skip
    write_csv(root / "authorities/las.csv",
              ["new_la_code", "la_name", "date_of_operation", "date_of_termination", "parent_geography_code",
               "entity_code", "entity_description", "status", "old_la_code"], las)  # fmt: skip
    hierarchy = sorted(
        {(a.region_code, REGIONS[a.region], a.code, a.name, a.ons) for a in everyone}
    )
    write_csv(root / "authorities/region_la_hierarchy.csv",
              ["region_code", "region_name", "old_la_code", "la_name", "new_la_code"], hierarchy)  # fmt: skip
    write_csv(root / "authorities/regions.csv", ["region_code", "region_name"], EES_REGIONS)


def lait_units() -> list[Authority]:
    """The LAIT list: today's authorities and the five pre-reorganisation ones."""
    old = [a for a in AUTHORITIES if a.code in PREDECESSORS]
    return sorted([*current(), *old], key=lambda a: lait_name(a))


def lait_name(a: Authority) -> str:
    return LAIT_NAMES.get(a.code, a.name)


def lait_region(a: Authority) -> str:
    if a.region == 7:
        return "Inner London" if a.lait_type == "ILB" else "Outer London"
    return REGIONS[a.region]


LAIT_AGGREGATES = [
    (970, "England"), (980, "North East"), (981, "North West"), (982, "Yorkshire and the Humber"),
    (983, "East Midlands"), (984, "West Midlands"), (985, "East of England"), (986, "London"),
    (987, "London (Inner)"), (988, "London (Outer)"), (989, "South East"), (990, "South West"),
    (1000, "England (discontinued)"),
]  # fmt: skip


def write_la_code_list(root: Path) -> None:
    rows: list[list[Cell]] = [["LA Number", "LA Name", "Region", "Type"]]
    rows += [[int(a.code), lait_name(a), lait_region(a), a.lait_type] for a in lait_units()]
    rows += [[code, name, "NA", "NA"] for code, name in LAIT_AGGREGATES]
    write_xlsx(root / "authorities/la_code_list.xlsx", [("Sheet1", rows)])


# -- statistical neighbours ------------------------------------------------------------

SN_GOREG = {
    1: "East Midlands", 2: "East of England", 3: "London", 4: "North East", 5: "North West",
    6: "South East", 7: "South West", 8: "West Midlands", 9: "Yorkshire and the Humber",
}  # fmt: skip
BANDS_2025 = ("Extremely close", "Very close", "Close", "Somewhat close", "Not close")
BANDS_2021 = ("Extremely Close", "Very Close", "Close", "Somewhat close", "Not Close")


def sn_goreg(a: Authority) -> str:
    if a.region == 7:
        return "London (Inner)" if a.lait_type == "ILB" else "London (Outer)"
    return SN_GOREG[SN_REGIONS[a.region]]


def neighbours(world: World, model: str, units: Sequence[Authority], pool: Sequence[Authority]
               ) -> dict[str, list[tuple[str, int]]]:  # fmt: skip
    """Ten nearest authorities in an invented feature space: code -> [(code, band index)]."""

    def features(a: Authority) -> tuple[float, ...]:
        code = next(iter(PREDECESSORS[a.code])) if a.code in PREDECESSORS else a.code
        p = world.profiles[code]
        r = world.rng("sn", model, a.code)
        kind = {"ILB": 6.0, "OLB": 5.0, "MD": 3.0, "UA": 1.5, "SC": 0.0}[a.lait_type]
        return (math.log(world.population(a.code, 2020)) + r.gauss(0, 0.3), p["deprivation"] + r.gauss(0, 0.3),
                p["rurality"] + r.gauss(0, 0.3), kind)  # fmt: skip

    feats = {a.code: features(a) for a in {*units, *pool}}
    lists = {}
    for a in units:
        ranked = sorted(
            (math.dist(feats[a.code], feats[b.code]), b.code) for b in pool if b.code != a.code
        )
        lists[a.code] = ranked[:10]
    distances = sorted(d for near in lists.values() for d, _ in near)
    cuts = [distances[int(len(distances) * q)] for q in (0.01, 0.55, 0.88, 0.97)]
    return {code: [(b, sum(d > c for c in cuts)) for d, b in near] for code, near in lists.items()}


def write_neighbours(root: Path, world: World) -> dict[str, list[tuple[str, int]]]:
    """Both SN models in their three published layouts; returns the 2025 lists."""
    now = sorted(current(), key=lait_name)
    old = {a.code: a for a in AUTHORITIES if a.code in PREDECESSORS}
    pre_lg = [old[c] for c in ("835", "836", "837", "928", "909")]
    sn25 = neighbours(world, "2025", [*now, *pre_lg], now)
    # sn_may_2025.xlsx: two rows of column labels, the header on row 3, the old LAs below
    header = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
    header += [x for i in range(1, 11) for x in (f"SN{i}", "SNP")]
    letters: list[Cell] = ["A", "B", "C", "D", "E", *range(3, 23)]
    rows: list[list[Cell]] = [letters, [*range(1, 26)], [*header]]

    def xlsx_row(a: Authority, bands: Sequence[str]) -> list[Cell]:
        cells: list[Cell] = [
            int(a.code),
            lait_name(a),
            int(a.code),
            SN_REGIONS[a.region],
            sn_goreg(a),
        ]
        return cells + [x for b, band in sn25[a.code] for x in (int(b), bands[band])]

    rows += [xlsx_row(a, BANDS_2025) for a in now]
    rows += [[None] * 26, [None, "Old SNs:"], [None] * 26]
    rows += [xlsx_row(a, BANDS_2021) for a in pre_lg]
    write_xlsx(root / "authorities/sn_may_2025.xlsx", [("LA SN Groups", rows)])
    # sn_model_2025_wide.csv: current LAs only, London not split, "Close " with a space
    wide = [["old_la_code", "la_name", "region_ind", "region_name"]]
    wide[0] += [x for i in range(1, 11) for x in (f"SN_{i}", f"SN_{i}P")]
    for a in sorted(now, key=lambda a: a.name.replace("St. ", "St ")):
        cells = [
            a.code,
            a.name.replace("St. ", "St "),
            str(SN_REGIONS[a.region]),
            REGIONS[a.region],
        ]
        cells += [
            x for b, band in sn25[a.code] for x in (b, BANDS_2025[band].replace("Close", "Close "))
        ]
        wide.append(cells)
    write_csv(root / "authorities/sn_model_2025_wide.csv", wide[0], wide[1:], bom=True)
    # New_Statistical_Neighbour_Groupings_April_2021.csv: the 2021 (LGR) model
    in_2021 = [a for a in units_at(date(2021, 4, 1))]
    sn21 = neighbours(world, "2021", [*in_2021, *pre_lg[:4]], in_2021)
    names21 = {"839": "Bournemouth, Christchurch & Poole"}
    rows21: list[list[str | None]] = []
    for unit in [*sorted(in_2021, key=lambda a: a.code), None, *pre_lg[:4]]:
        if unit is None:
            rows21 += [[None] * 26, [None, "Old SNs:", *[None] * 24], [None] * 26]
            continue
        row: list[str | None] = [
            unit.code,
            names21.get(unit.code, lait_name(unit)),
            unit.code,
            str(SN_REGIONS[unit.region]),
            sn_goreg(unit),
        ]
        row += [x for b, band in sn21[unit.code] for x in (b, BANDS_2021[band])]
        rows21.append([*row, None])
    write_csv(root / "authorities/New_Statistical_Neighbour_Groupings_April_2021.csv",
              [*header, ""], rows21, bom=True)  # fmt: skip
    return {**sn25, **{f"2021:{k}": v for k, v in sn21.items()}}


def write_lookups(root: Path, world: World, sn: dict[str, list[tuple[str, int]]]) -> None:
    """D2I's provider lookup and a reduced ONS lower-tier to upper-tier lookup."""
    ons_region = {**REGIONS, 3: "Yorkshire and the Humber"}
    la_type = {
        "E06": "Unitary Authority",
        "E08": "Metropolitan District",
        "E09": "London Borough",
        "E10": "County",
    }
    aka = {
        "810": "[Kingston Upon Hull, Hull]",
        "801": "[Bristol]",
        "839": "[BCP, Bournemouth, Christchurch & Poole]",
    }
    ons = {a.code: a.ons for a in current()}
    old = {a.code: a for a in AUTHORITIES if a.code in ("909", "928", "836")}
    header = ["urn", "la_code", "la_code_new", "stat_neighbours", "stat_neighbours_la_code",
              "stat_neighbours_previous", "local_authority_ons_name", "also_known_as", "region_code",
              "region_name", "domain", "ofsted_ilacs_scrape_la_name", "rgn22cd", "rgn22nm", "lad23cd",
              "ltla23cd", "ltla23nm", "ltla23nmw", "ltla23_ons", "utla23nm", "country",
              "ons_population_0-25", "ons_la_type"]  # fmt: skip
    rows = []
    for a in sorted([*current(), *old.values()], key=lait_name):
        live = a.code not in old
        now = [b for b, _ in sn.get(a.code, [])] if live else []
        before = [
            b
            for b, _ in sn.get(
                f"2021:{a.code}", sn.get("2021:909", []) if a.code in ("942", "943") else []
            )
        ]
        rows.append([
            str(urn(a)), a.code, a.ons if live else None, ", ".join(now) or None,
            ", ".join(ons[b] for b in now) or None, ", ".join(before) or None, lait_name(a), aka.get(a.code),
            D2I_REGIONS[a.region], ons_region[a.region], domain(a), a.code, a.region_code,
            ons_region[a.region], None if a.ons.startswith("E10") else a.ons, a.ons, a.name, None, a.ons,
            a.name, "England", str(round(world.population(a.code, 2022) * 1.45)) if live else None,
            la_type[a.ons[:3]] if live else None,
        ])  # fmt: skip
    write_csv(root / "authorities/Provider_data_lookup.csv", header, rows, bom=True, crlf=True)
    ltla = [
        [a.ons, a.name, None, a.ons, a.name, None] for a in sorted(current(), key=lambda a: a.ons)
    ]
    write_csv(root / "authorities/LTLA-UTLA_Apr23_Lookup_England-Wales.csv",
              ["LTLA23CD", "LTLA23NM", "LTLA23NMW", "UTLA23CD", "UTLA23NM", "UTLA23NMW", "ObjectId"],
              [[*r, str(i)] for i, r in enumerate(ltla, start=1)], bom=True)  # fmt: skip


def urn(a: Authority) -> int:
    """An invented Ofsted unique reference number for an authority."""
    return _URNS[a.code]


_NAMES_BY_CODE = {a.code: LAIT_NAMES.get(a.code, a.name) for a in AUTHORITIES}
_URNS = {
    code: 80400 + i for i, code in enumerate(sorted(_NAMES_BY_CODE, key=_NAMES_BY_CODE.__getitem__))
}


def domain(a: Authority) -> str:
    return re.sub(r"[^a-z]", "", a.name.split(",")[0].lower().replace(" and ", "")) + ".gov.uk"


# --------------------------------------------------------------------------------------
# Spreadsheets
# --------------------------------------------------------------------------------------

Cell = str | int | float | date | None
FIXED_TIME = (2025, 1, 1, 0, 0, 0)


_ROOT_NAMESPACES = re.compile(rb"(?:\s+xmlns:[\w.-]+=\"[^\"]*\")+")


def _sort_namespaces(xml: bytes) -> bytes:
    """The root element's xmlns declarations: only the prefixes the document uses, sorted.

    odfpy declares every namespace any earlier document in the process used, so the raw
    declarations depend on what the process did before; the used ones do not.
    """
    found = _ROOT_NAMESPACES.search(xml)
    if not found:
        return xml
    rest = xml[: found.start()] + xml[found.end() :]
    used = set(re.findall(rb"[<\s/]([\w.-]+):[\w.-]+", rest))
    declarations = sorted(
        d
        for d in re.findall(rb"\s+xmlns:([\w.-]+)=\"[^\"]*\"", found.group(0))
        if d in used
    )
    pairs = dict(re.findall(rb"\s+xmlns:([\w.-]+)=(\"[^\"]*\")", found.group(0)))
    text = b"".join(b" xmlns:" + prefix + b"=" + pairs[prefix] for prefix in declarations)
    return xml[: found.start()] + text + xml[found.end() :]


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> Path:
    """An .xlsx workbook: text, numbers and dates in their own cell types."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False})
    book.set_properties(
        {"title": "Demonstration data (invented values)", "created": datetime(*FIXED_TIME)}
    )
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, date):
                    sheet.write_datetime(
                        r, c, datetime(value.year, value.month, value.day), date_format
                    )
                elif value is not None:
                    sheet.write_number(r, c, value)
    book.close()
    return _freeze_zip(path)


def write_ods(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> Path:
    """An OpenDocument spreadsheet (odfpy). A run of empty cells is one repeated cell and an
    empty row is an empty row, as spreadsheet programs write them."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def cell(value: Cell) -> TableCell:
        if isinstance(value, date):
            out = TableCell(valuetype="date", datevalue=f"{value.isoformat()}T00:00:00")
            text = value.strftime("%d/%m/%Y")
        elif isinstance(value, str):
            out, text = TableCell(valuetype="string"), value
        else:
            out, text = TableCell(valuetype="float", value=value), str(value)
        out.addElement(P(text=text))
        return out

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets:
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            for empty, run in groupby(values, key=lambda v: v is None):
                if empty:
                    tr.addElement(TableCell(numbercolumnsrepeated=len(list(run))))
                else:
                    for value in run:
                        tr.addElement(cell(value))
            if not values:
                tr.addElement(TableCell())
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return _freeze_zip(path)


def _freeze_zip(path: Path) -> Path:
    """Rewrite a zip container so the same seed gives the same bytes: fixed timestamps,
    and XML namespace declarations in sorted order (odfpy's order varies by process)."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(
                fixed, _sort_namespaces(data) if info.filename.endswith(".xml") else data
            )
    path.write_bytes(buffer.getvalue())
    return path


# --------------------------------------------------------------------------------------
# Ofsted inspections: one invented history drives the 2025 and 2023 files and D2I's scrape
# --------------------------------------------------------------------------------------

ILACS_START = date(2018, 1, 29)
AS_AT_2025 = date(2025, 3, 31)
NEW_FRAMEWORK = date(2026, 1, 1)  # no overall effectiveness grade from here on
THEMES = ("Children in need/subject to a plan", "Children in care", "Care leavers",
          "Achieving permanence", "Front door", "Vulnerable adolescents")  # fmt: skip
STANDARD, SHORT = "ILACS Standard Inspection", "ILACS Short Inspection"
FOCUSED, MONITORING = "ILACS Focused Visit", "LA Monitoring visit"


@dataclass(frozen=True)
class Event:
    """An inspection (with grades) or a visit (with a theme) of one authority."""

    unit: Authority
    start: date
    published: date
    kind: str
    overall: int | None = None  # index into GRADES; None for visits and the new framework
    subs: tuple[int | None, ...] = ()  # leaders, help and protection, in care, care leavers
    theme: str | None = None

    @property
    def inspection(self) -> bool:
        return self.kind in (STANDARD, SHORT)


def _day(r: Draws, low: date, high: date) -> date:
    """A Monday between two dates."""
    d = low + timedelta(days=int(r.uniform(0, max(0, (high - low).days))))
    return d - timedelta(days=d.weekday())


def _grade(r: Draws, weights: Sequence[float]) -> int:
    x, total = r.random() * sum(weights), 0.0
    for i, weight in enumerate(weights):
        total += weight
        if x < total:
            return i
    return len(weights) - 1


def _inspection(r: Draws, unit: Authority, start: date, previous: int | None) -> Event:
    if previous is None:
        overall = _grade(r, (0.12, 0.45, 0.28, 0.15))
    else:
        step = (0.45, 0.45, 0.1) if previous >= 2 else (0.15, 0.6, 0.25)
        overall = min(3, max(0, previous + _grade(r, step) - 1))
    subs = [min(3, max(0, overall + _grade(r, (0.1, 0.8, 0.1)) - 1)) for _ in range(4)]
    if 3 in subs[1:3] and overall == 2:
        overall = 3
    kind = SHORT if previous is not None and previous <= 1 else STANDARD
    published = start + timedelta(days=int(r.uniform(35, 60)))
    leavers = subs[3] if start >= date(2023, 1, 1) else None
    grade = None if start >= NEW_FRAMEWORK else overall
    return Event(unit, start, published, kind, grade, (*subs[:3], leavers))


def ofsted_history(world: World) -> list[Event]:
    """Every invented ILACS inspection and visit, 2018 to June 2026, in date order."""
    old = {a.code: a for a in AUTHORITIES if a.code in ("837", "909", "928")}
    events: list[Event] = []
    for a in [*current(), *old.values()]:
        r = world.rng("ofsted", a.code)
        previous = _grade(r, (0.1, 0.4, 0.35, 0.15))  # the last pre-ILACS (SIF) judgement
        began = first_day(a.code)
        if a.code in old:
            window = (
                ILACS_START + timedelta(days=30),
                min(a.end or AS_AT_2025, date(2022, 12, 31)) - timedelta(days=90),
            )
        elif began and began >= date(2023, 4, 1):
            window = (began + timedelta(days=60), date(2025, 3, 24))
        else:
            window = (max(ILACS_START, began or ILACS_START), date(2022, 12, 31))
        history = [_inspection(r, a, _day(r, *window), previous if a.code not in old else None)]
        while True:  # the next inspection: sooner after a poor grade; up to June 2026
            last, grade = history[-1].start, history[-1].subs[0]
            years = {3: (1.5, 2.5), 2: (2.5, 3.5)}.get(
                grade if grade is not None else 1, (3.0, 4.0)
            )
            low = max(last + timedelta(days=int(years[0] * 365)), date(2021, 10, 4))
            high = min(last + timedelta(days=int(years[1] * 365)), date(2026, 6, 1))
            if a.code in old or low >= high or (low > AS_AT_2025 and r.random() < 0.3):
                break
            history.append(_inspection(r, a, _day(r, low, high), history[-1].subs[0]))
        events += history
        events += _visits(world, a, history)
    return sorted(events, key=lambda e: (e.start, e.unit.code))


def _visits(world: World, a: Authority, history: list[Event]) -> list[Event]:
    """Focused visits between inspections; monitoring visits after an inadequate one."""
    r = world.rng("visits", a.code)
    out = []
    for this, after in zip(history, [*history[1:], None], strict=True):
        end = after.start if after else date(2026, 6, 1)
        when = this.start + timedelta(days=240)
        while when < end - timedelta(days=120):
            kind = MONITORING if this.overall == 3 else FOCUSED
            if kind == MONITORING or r.random() < 0.45:
                start = when - timedelta(days=when.weekday())
                out.append(
                    Event(
                        a,
                        start,
                        start + timedelta(days=int(r.uniform(25, 40))),
                        kind,
                        theme=r.choice(THEMES),
                    )
                )
            when += timedelta(days=200 if kind == MONITORING else 420)
    return out


LINK = "Ofsted Local Authority Webpage"
SUB_2025 = [
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
]
SUB_2023 = [
    "Impact of leaders",
    "Experiences and progress of children who need help and protection",
    "Experiences and progress of children in care",
    "Experiences and progress of care leavers",
]


def _grades(e: Event) -> list[Cell]:
    if not e.inspection:
        return [None] * 5
    overall = None if e.overall is None else GRADES[e.overall]
    return [overall, *(None if g is None else GRADES[g] for g in e.subs)]


def ofsted_name(a: Authority, names: dict[str, str] = OFSTED_NAMES) -> str:
    return names.get(a.code, a.name)


def _placeholder(name: str) -> tuple[str, list[list[Cell]]]:
    note = "Demonstration data: this worksheet of the official file is not reproduced."
    return name, [[name.replace("_", " ")], [note]]


def write_ofsted_2025(root: Path, events: list[Event]) -> None:
    """LA_Inspection_Outcomes_as_at_31_March_2025.ods: latest judgements, the year's
    activity and the ILACS history, each with its header on row 3."""
    official = [e for e in events if e.start <= AS_AT_2025]
    inspections = [e for e in official if e.inspection]
    latest = {e.unit.code: e for e in inspections}
    now = sorted(current(), key=ofsted_name)
    old_codes = {"837", "909", "928"}
    order = {a.code: i for i, a in enumerate(sorted({e.unit for e in official}, key=ofsted_name))}

    def ident(e: Event) -> list[Cell]:
        return [LINK, e.unit.ons, ofsted_name(e.unit)]

    as_at: list[list[Cell]] = [
        ["Local authority inspection judgements as at 31 March 2025"],
        ["This worksheet contains one table. Demonstration data: every value is invented."],
        ["Web link", "Local authority area code", "Local authority name", "Ofsted region", "Inspection date",
         "Publication date", "Overall effectiveness", *SUB_2025],
    ]  # fmt: skip
    for a in now:
        e = latest[a.code]
        as_at.append([*ident(e), OFSTED_REGIONS[a.region], e.start, e.published, *_grades(e)])
    in_year: list[list[Cell]] = [
        ["Local authority in-year inspection activity 2024-25"],
        ["This worksheet contains one table. Demonstration data: every value is invented."],
        ["Web link", "Local authority area code", "Local authority name", "Region", "Inspection/Visit date",
         "Publication date", "Inspection/Visit type", "Overall effectiveness", *SUB_2025, "Visit Theme"],
    ]  # fmt: skip
    year = [e for e in official if e.start >= date(2024, 4, 1) and e.unit.code not in old_codes]
    for e in sorted(year, key=lambda e: (order[e.unit.code], e.start)):
        in_year.append(
            [
                *ident(e),
                OFSTED_REGIONS[e.unit.region],
                e.start,
                e.published,
                e.kind,
                *_grades(e),
                e.theme,
            ]
        )
    history: list[list[Cell]] = [
        ["ILACS inspection history from 2018-2025"],
        ["This worksheet contains one table. Demonstration data: every value is invented."],
        ["Web link", "Local authority area code", "Local authority name", "Local authority status",
         "Ofsted region", "Inspection date", "Publication date", "Inspection type", "Overall effectiveness",
         *SUB_2025],
    ]  # fmt: skip
    for e in sorted(inspections, key=lambda e: (order[e.unit.code], e.start)):
        status = "No longer exists" if e.unit.code in old_codes else "Current"
        history.append(
            [
                *ident(e),
                status,
                OFSTED_REGIONS[e.unit.region],
                e.start,
                e.published,
                e.kind,
                *_grades(e),
            ]
        )
    write_ods(
        root / "inspections/LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        [
            _placeholder("Cover"),
            _placeholder("Contents"),
            _placeholder("Notes"),
            ("Inspections_as_at_31_March", as_at),
            ("In-year_inspections", in_year),
            ("ILACS_inspection_history", history),
        ],
    )


HISTORY_2009 = [
    "Web link", "Local authority name", "LA region", "LA Authority Type",
    "Safeguarding & Looked After Children (SLAC) Inspection publication date",
    "SLAC Safeguarding Overall effectiveness (OE)", "SLAC Looked After Children Overall Effectiveness (OE)",
    "SLAC re-inspection of Safeguarding publication date", "SLAC re-inspection Safeguarding OE",
    "SLAC re-inspection of services for Children Looked After publication date",
    "SLAC re-inspection of services Children Looked After OE",
    "Child Protection Inspections (CPI) publication date", "CPI Overall Effectiveness (OE)",
    "Child Protection Re-Inspection (CPRI) publication date", "CPRI Overall Effectiveness (OE)",
    "Targeted Looked After Children (TLAC) inspection publication date", "TLAC Overall Effectiveness (OE)",
    "Single Inspection of LA Children's Services (SIF)  First SIF publication date",
    " First SIF Overall Judgement\n(OE)", " First SIF children who need help and protection ",
    " First SIF children looked after and achieving permanence ", " First SIF CLA Sub: Adoption Performance",
    " First SIF CLA Sub: Experiences and progress of care leavers",
    " First SIF leadership, management and governance", "LSCB Overall Effectiveness ",
    "Single Inspection of LA Children's Services (SIF) SIF Re-inspection publication date",
    " SIF Re-inspection Overall Judgement\n(OE)", " SIF Re-inspection children who need help and protection ",
    " SIF Re-inspection children looked after and achieving permanence ",
    " SIF Re-inspection CLA Sub: Adoption Performance",
    " SIF Re-inspection CLA Sub: Experiences and progress of care leavers",
    " SIF Re-inspection leadership, management and governance",
]  # fmt: skip
ILACS_2009 = [
    "{} framework inspection type", "{} framework publication date", "{} framework overall effectiveness",
    "{} framework impact of leaders",
    "{} framework experiences and progress of children who need help and protection",
    "{} framework experiences and progress of children in care and care leavers",
]  # fmt: skip
SECOND_ILACS_2009 = [
    *(c.format("Second ILACS") for c in ILACS_2009[:5]),
    "Second ILACS framework experiences and progress of children in care",
    "Second ILACS framework experiences and progress of care leavers",
]
OFSTED_TYPES = {
    "E06": "Unitary",
    "E08": "Metropolitan District",
    "E09": "London Borough",
    "E10": "Shire County",
}


def _pre_ilacs(world: World, a: Authority) -> list[Cell]:
    """Invented judgements of the frameworks before ILACS (2009-2018), publication dates."""
    began = first_day(a.code)
    if began and began >= date(2019, 4, 1):
        return [None] * 28
    r = world.rng("pre-ilacs", a.code)

    def grade(weights: Sequence[float] = (0.1, 0.45, 0.3, 0.15)) -> str:
        return GRADES[_grade(r, weights)]

    def maybe(probability: float, low: date, high: date, n: int = 1) -> list[Cell]:
        return (
            [_day(r, low, high), *(grade() for _ in range(n))]
            if r.random() < probability
            else [None] * (n + 1)
        )

    slac: list[Cell] = [_day(r, date(2009, 9, 1), date(2012, 12, 31)), grade(), grade()]
    cells: list[Cell] = [
        *slac,
        *maybe(0.06, date(2010, 6, 1), date(2013, 3, 31)),
        *maybe(0.02, date(2010, 6, 1), date(2013, 3, 31)),
    ]
    cells += [
        *maybe(0.33, date(2012, 6, 1), date(2013, 6, 30)),
        *maybe(0.01, date(2013, 7, 1), date(2013, 9, 30)),
    ]
    cells += maybe(0.03, date(2013, 6, 1), date(2013, 10, 31))
    sif: list[Cell] = [_day(r, date(2013, 12, 1), date(2017, 12, 31)), *(grade() for _ in range(7))]
    cells += sif
    cells += maybe(0.8 if sif[1] == GRADES[3] else 0.0, date(2016, 6, 1), date(2018, 3, 31), 6)
    return cells


def write_ofsted_2023(root: Path, world: World, events: list[Event]) -> None:
    """Childrens_social_care_in_England_2023_underlying_data.ods: the three LA sheets in
    their published layout; the provider-level sheets are not reproduced."""
    as_at = date(2023, 3, 31)
    units = sorted(units_at(as_at), key=lambda a: ofsted_name(a, OFSTED_2023_NAMES))
    name = {a.code: ofsted_name(a, OFSTED_2023_NAMES) for a in AUTHORITIES}
    by_unit: dict[str, list[Event]] = {}
    for e in events:
        if e.inspection and e.published <= as_at:
            by_unit.setdefault(e.unit.code, []).append(e)
    level: list[list[Cell]] = [
        ["Children's social care data in England 2023 - LA level at 31 March 2023"],
        ["This worksheet contains one table. Demonstration data: every value is invented."],
        [],
        [
            "Web link",
            "Local authority name",
            "Ofsted region",
            "Inspection date",
            "Overall effectiveness",
            *SUB_2023,
        ],
    ]
    for a in units:
        e = by_unit[a.code][-1]
        level.append([LINK, name[a.code], OFSTED_REGIONS[a.region], e.start, *_grades(e)])
    in_year: list[list[Cell]] = [
        ["Children's social care data in England 2023 - LA level in year 2022-23"],
        ["This worksheet contains one table. Demonstration data: every value is invented."],
        ["Web link", "Local authority name", "Ofsted region", "Inspection/Visit date", "Inspection/Visit type",
         "Overall effectiveness", *SUB_2023, "Visit Theme"],
    ]  # fmt: skip
    alive = {a.code for a in units}
    year = [e for e in events if date(2022, 4, 1) <= e.start <= as_at and e.unit.code in alive]
    for e in sorted(year, key=lambda e: (name[e.unit.code], e.start)):
        in_year.append(
            [
                LINK,
                name[e.unit.code],
                OFSTED_REGIONS[e.unit.region],
                e.start,
                e.kind,
                *_grades(e),
                e.theme,
            ]
        )

    def ilacs(e: Event | None, second: bool) -> list[Cell]:
        if e is None:
            return [None] * (7 if second else 6)
        grades = _grades(e)
        return [e.kind, e.published, *grades[:4], *([grades[4]] if second else [])]

    def region(a: Authority) -> str:
        return OFSTED_REGIONS[a.region].replace("the Humber", "The Humber")

    header = [*HISTORY_2009, *(c.format("First ILACS") for c in ILACS_2009), *SECOND_ILACS_2009]
    history: list[list[Cell]] = [
        ["Children's social care data in England 2023 - LA inspections 2009-2023"],
        ["This worksheet contains two tables. Demonstration data: every value is invented."],
        ["Column A includes a link to the Local Authority Webpage for each local authority."],
        ["Some cells in this table are empty because data was not provided to Ofsted. "],
        [*header],
    ]
    for a in units:
        done = by_unit.get(a.code, [])
        row = [LINK, name[a.code], region(a), OFSTED_TYPES[a.ons[:3]], *_pre_ilacs(world, a)]
        history.append(
            row
            + ilacs(done[0] if done else None, False)
            + ilacs(done[1] if len(done) > 1 else None, True)
        )
    history += [
        [],
        [],
        [
            "Table 11:History of inspections of local authorities that existed before the restructure"
        ],
    ]
    history.append([*HISTORY_2009, *(c.format("ILACS") for c in ILACS_2009)])
    old = {a.code: a for a in AUTHORITIES if a.code in ("837", "835", "836", "928")}
    for code in ("837", "835", "836", "928"):
        a, done = old[code], by_unit.get(code, [])
        history.append([LINK, a.name, region(a), OFSTED_TYPES[a.ons[:3]], *_pre_ilacs(world, a),
                        *ilacs(done[0] if done else None, False)])  # fmt: skip
    sheets: list[tuple[str, list[list[Cell]]]] = [
        _placeholder(n)
        for n in ("Cover", "Accessibility", "Contents", "Guidance", "Notes", "Meta-data")
    ]
    sheets += [("LA_level_at_31_Mar_2023", level), ("LA_level_in_year_2022-23", in_year)]
    sheets += [_placeholder(n) for n in (
        "Provider_level_at_31_Mar_2023", "Provider_level_in_year_2022-23", "Providers+places_at_31_Mar_2023",
        "Leavers+Joiners_at_31_Mar_2023", "Providers+places_Time_series", "Latest_OE_31_Mar_Time_Series",
        "In_Year_Time_series")]  # fmt: skip
    sheets.append(("LA_inspections_2009-2023", history))
    write_ods(
        root / "inspections/Childrens_social_care_in_England_2023_underlying_data.ods", sheets
    )


D2I_NAMES = {
    **{k: v.lower() for k, v in OFSTED_NAMES.items()},
    "201": "london corporation",
    "868": "windsor & maidenhead",
}


def write_d2i(root: Path, events: list[Event], sn: dict[str, list[tuple[str, int]]]) -> None:
    """ofsted_csc_ilacs_overview.xlsx: Data to Insight's scrape of the latest report per LA
    (unofficial; runs past the official file, and has no overall grade after 2026)."""
    latest = {e.unit.code: e for e in events if e.inspection}

    def low(g: int | None) -> str:
        return "nan" if g is None else GRADES[g].lower().replace(" to be good", "")

    header = ["urn", "la_code", "region_code", "ltla23cd", "stat_neighbours", "stat_neighbour_judgement",
              "local_authority", "inspection_link", "overall_effectiveness_grade", "inspection_framework",
              "inspector_name", "inspection_start_date", "inspection_end_date", "publication_date",
              "local_link_to_all_inspections", "impact_of_leaders_grade", "help_and_protection_grade",
              "in_care_grade", "care_leavers_grade", "inspectors_inspections_count"]  # fmt: skip
    units = sorted(current(), key=urn)
    inspectors = {a.code: f"demo inspector {urn(a) % 23 + 1}" for a in units}
    counts = {name: list(inspectors.values()).count(name) for name in set(inspectors.values())}
    rows: list[list[Cell]] = [[*header]]
    for i, a in enumerate(units):
        e, near = latest[a.code], [b for b, _ in sn[a.code]]
        judged = ", ".join(f"({b}, '{low(latest[b].overall)}')" for b in near)
        kind = "None" if i == 17 else "short" if e.kind == SHORT else "standard"
        end = e.start + timedelta(days=4 if e.kind == SHORT else 11)
        leavers = "inspection_pre_dates_judgement" if e.subs[3] is None else low(e.subs[3])
        rows.append([
            str(urn(a)), a.code, D2I_REGIONS[a.region], a.ons, ", ".join(near), f"[{judged}]",
            D2I_NAMES.get(a.code, a.name.lower()), f"https://reports.ofsted.gov.uk/provider/44/{urn(a)}",
            low(e.overall), kind, inspectors[a.code], None if kind == "None" else e.start.strftime("%d/%m/%Y"),
            None if kind == "None" else end.strftime("%d/%m/%Y"), e.published.strftime("%d/%m/%y"), 0,
            low(e.subs[0]), low(e.subs[1]), low(e.subs[2]), leavers, str(counts[inspectors[a.code]]),
        ])  # fmt: skip
    write_xlsx(
        root / "inspections/ofsted_csc_ilacs_overview.xlsx",
        [("ofsted_cs_inspections_overview", rows)],
    )


# --------------------------------------------------------------------------------------
# The whole folder
# --------------------------------------------------------------------------------------

README = """\
DEMONSTRATION DATA - EVERY VALUE IN THIS FOLDER IS INVENTED.

These files copy the layout of the official publications (the same folders, file names,
columns, sheets and header rows) so that the tool can be tried without downloading
anything. The local authorities' names, codes and regions are real public identifiers;
every number, judgement, date and neighbour list was generated from a random seed ({seed})
and says nothing about any real authority. Do not quote or share them as statistics.

Worksheets of the official files that the tool does not read hold only a note, and the
ONS lower-tier to upper-tier lookup lists each upper-tier authority once.

For the real data run `benchmarks fetch`, or point --data-dir / BENCHMARKS_DATA at a
folder of the publishers' files (see docs/data.md).
"""


def _fingerprint(seed: int) -> str:
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return f"demonstration data (invented values)\nseed={seed}\ngenerator={code}\n"


def generate(root: Path, *, seed: int = 2025) -> None:
    """Write every demonstration file into `root` (not atomic: see `write_demo`)."""
    world = World(seed)
    for spec in ees_specs(world):
        write_ees(root, spec)
    write_authority_lists(root)
    write_la_code_list(root)
    sn = write_neighbours(root, world)
    write_lookups(root, world, sn)
    events = ofsted_history(world)
    write_ofsted_2025(root, events)
    write_ofsted_2023(root, world, events)
    write_d2i(root, events, sn)
    (root / "README.txt").write_text(README.format(seed=seed), encoding="utf-8")
    (root / DEMO_MARKER).write_text(_fingerprint(seed), encoding="utf-8")


def write_demo(dest: Path, *, seed: int = 2025) -> Path:
    """Write the demonstration dataset to `dest` atomically and return `dest`.

    The folder is built beside `dest` and renamed into place, so a reader never sees a
    half-written dataset. A folder that already holds the same demonstration data (same
    seed, same generator) is left as it is; a folder of other files is never replaced.
    """
    from filelock import FileLock

    dest = Path(dest).expanduser().absolute()
    dest.parent.mkdir(parents=True, exist_ok=True)
    marker = dest / DEMO_MARKER
    with FileLock(str(dest.parent / f".{dest.name}.lock")):
        if marker.exists() and marker.read_text(encoding="utf-8") == _fingerprint(seed):
            return dest
        if dest.exists() and any(dest.iterdir()) and not marker.exists():
            raise BenchmarksError(
                f"{dest} holds files that are not demonstration data; choose another folder."
            )
        build = Path(tempfile.mkdtemp(prefix=f".{dest.name}.build-", dir=dest.parent))
        umask = os.umask(0)
        os.umask(umask)
        build.chmod(0o777 & ~umask)  # mkdtemp makes it private; the data is not
        old = build.with_name(build.name.replace(".build-", ".old-"))
        try:
            generate(build, seed=seed)
            if dest.exists():
                os.replace(dest, old)
            os.replace(build, dest)
        finally:
            shutil.rmtree(build, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)
    return dest
