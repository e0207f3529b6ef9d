"""The authorities of the demonstration dataset: real public codes, names and regions.

One row per code pair (3-digit DfE code, ONS code) valid between two dates, and the
names each publisher spells differently. Nothing here is invented; the values are
drawn elsewhere (`benchmarks.demo.world`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property

from benchmarks.geography import INNER_LONDON, OUTER_LONDON, REGION_CODES

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

#: Region number (the last digit of its E12 code) -> name, as the EES files write it.
REGIONS = {
    int(code[-1]): name for code, (_, name) in REGION_CODES.items() if code.startswith("E12")
}
INNER = (INNER_LONDON, REGION_CODES[INNER_LONDON][1])
OUTER = (OUTER_LONDON, REGION_CODES[OUTER_LONDON][1])
#: Regional rows of an EES file, in file order.
EES_REGIONS = [(f"E1200000{n}", name) for n, name in REGIONS.items()] + [INNER, OUTER]
#: Joint workforce returns: (first partner, second partner, first year of the joint row).
JOINT_RETURNS = [("314", "318", 2009), ("940", "941", 2021)]
LEGACY_END = date(2013, 3, 31)  # old Gateshead/Northumberland codes: C4 only


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
