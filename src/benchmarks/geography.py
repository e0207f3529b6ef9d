"""Local authority codes and names, the regions and England.

The bottom floor for geography: every module that turns a name into a code, or needs the
England or region codes, imports them from here.

- `ENGLAND_CODE` and `REGION_CODES`: the LAIT 3-digit codes the panel uses for England
  and the regions, keyed by the ONS region codes that EES files give.
- `resolve_la` / `resolver`: a name (DfE, LAIT or Ofsted spelling), 3-digit code or ONS
  code (old or new) to the 3-digit code, against an authorities frame
  (`schema.AUTHORITIES_SCHEMA`). Pure: no file is read here.
- `name_key`: the name normalisation they use.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

import polars as pl

from benchmarks.errors import UnknownAuthorityError

#: England's LAIT aggregate code (its ONS code is ENGLAND_ONS).
ENGLAND_CODE = "970"
ENGLAND_ONS = "E92000001"
#: EES region codes -> (LAIT 3-digit aggregate code, region name).
REGION_CODES: dict[str, tuple[str, str]] = {
    "E12000001": ("980", "North East"),
    "E12000002": ("981", "North West"),
    "E12000003": ("982", "Yorkshire and The Humber"),
    "E12000004": ("983", "East Midlands"),
    "E12000005": ("984", "West Midlands"),
    "E12000006": ("985", "East of England"),
    "E12000007": ("986", "London"),
    "E13000001": ("987", "Inner London"),
    "E13000002": ("988", "Outer London"),
    "E12000008": ("989", "South East"),
    "E12000009": ("990", "South West"),
}
LONDON = "E12000007"
INNER_LONDON, OUTER_LONDON = "E13000001", "E13000002"

#: Short names people use that normalisation alone cannot reach (keys of name_key).
ALIASES = {
    "hull": "kingston upon hull",
    "bcp": "bournemouth christchurch and poole",
    "london corporation": "city of london",
    "city of london corporation": "city of london",
}

#: National bodies people mistake for authorities (keys of name_key -> how to name them).
#: None of them publishes or holds local authority children's services data of its own.
NATIONAL_BODIES = {
    "cafcass": "Cafcass",
    "children and family court advisory and support service": "Cafcass",
    "ofsted": "Ofsted",
    "department for education": "The Department for Education",
    "dfe": "The Department for Education",
    "office for national statistics": "The Office for National Statistics",
    "ons": "The Office for National Statistics",
    "youth justice board": "The Youth Justice Board",
    "children s commissioner": "The Children's Commissioner",
    "childrens commissioner": "The Children's Commissioner",
}

_ONS = re.compile(r"^[EW]\d{8}$", re.IGNORECASE)
_SUFFIXES = (
    " metropolitan borough council",
    " borough council",
    " county council",
    " city council",
    " council",
    " borough",
    " city of",
    " county of",
)


def name_key(name: str) -> str:
    """Normalise an LA name for matching.

    Case, punctuation, "&"/"and", "St."/"St"/"Saint", "(Pre LG)"-style notes,
    "City of"/"County of"/"County"/"Borough"/"Council" wrappers are ignored, so
    "Bristol, City of", "Bristol" and "City of Bristol" share a key; "City of London"
    keeps its own.
    """
    key = name.lower().replace("&", " and ")
    key = re.sub(r"\([^)]*\)", " ", key)
    key = re.sub(r"[^a-z0-9]+", " ", key)
    key = " ".join(key.split())
    key = re.sub(r"^saint ", "st ", key)
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    if key.startswith("city of ") and key != "city of london":
        key = key[len("city of ") :]
    if key.startswith("county "):
        key = key[len("county ") :]
    return ALIASES.get(key, key)


def national_body(query: str) -> str | None:
    """The name of the national body `query` names (e.g. "Cafcass"), or None."""
    key = " ".join(re.sub(r"[^a-z0-9]+", " ", query.lower().replace("&", " and ")).split())
    return NATIONAL_BODIES.get(key.removeprefix("the "))


def unknown_authority(query: str, known: dict[str, str]) -> UnknownAuthorityError:
    """The error for a query that matches no authority.

    `known` maps name_key -> display name. A national body gets a sentence saying so;
    anything else gets up to three close matches.
    """
    body = national_body(query)
    if body is not None:
        return UnknownAuthorityError(
            query, [], reason=f"{body} is a national body with no local authority data"
        )
    close = difflib.get_close_matches(name_key(query.strip()), list(known), n=3, cutoff=0.6)
    return UnknownAuthorityError(query, [known[k] for k in close])


def resolver(authorities: pl.DataFrame, *, prefer_current: bool = True) -> Callable[[str], str]:
    """A function that resolves many queries against one authorities frame quickly."""
    rows = authorities.sort("date_of_operation").select(
        "la_code", "la_name", "ons_codes", "current"
    )
    codes = set(rows["la_code"])
    by_ons = {
        ons.upper(): r["la_code"] for r in rows.iter_rows(named=True) for ons in r["ons_codes"]
    }
    by_key: dict[str, list[tuple[bool, str]]] = {}
    names: dict[str, str] = {}
    for r in rows.iter_rows(named=True):
        key = name_key(r["la_name"])
        by_key.setdefault(key, []).append((r["current"] == prefer_current, r["la_code"]))
        names.setdefault(key, r["la_name"])

    def resolve(query: str) -> str:
        text = query.strip()
        if text in codes:
            return text
        if _ONS.match(text) and text.upper() in by_ons:
            return by_ons[text.upper()]
        key = name_key(text)
        if key in by_key:
            # preferred status first, then the most recently created authority
            return max(reversed(by_key[key]), key=lambda c: c[0])[1]
        raise unknown_authority(query, names)

    return resolve


def resolve_la(authorities: pl.DataFrame, query: str, *, prefer_current: bool = True) -> str:
    """The 3-digit code for a name, 3-digit code or ONS code (old or new).

    When a name is shared (old Dorset 835 and Dorset 838), the current authority wins
    unless `prefer_current=False`. Raises UnknownAuthorityError with close matches, or
    saying that a national body (e.g. Cafcass) has no local authority data.
    """
    return resolver(authorities, prefer_current=prefer_current)(query)
