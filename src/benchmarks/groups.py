"""Comparator groups: who each authority is compared with.

Every group is defined for every authority at once, as two small frames (a `GroupSpec`):

* `focal`   — one row per authority: `la_code`, the `key` of the group it is compared
  with, and a `group_label` (a noun phrase for sentences, e.g. "other authorities in
  London");
* `members` — one row per group key and member: `key`, `member_code`, and for
  statistical neighbours the neighbour's `rank` (1 = closest) and `closeness` band.

An authority is NEVER its own comparator: it is left out of the group it is compared with
(that is why every label says "other"). `membership()` expands the two frames into
explicit (authority, member) pairs for reading and export; `comparison.py` works on the
keys directly, so the large groups (England, region) cost no more than the small ones.

Groups (see `list_groups()`):

* `sn2025` (default), `sn2021` — the DfE statistical neighbour model of that year: each
  authority's 10 neighbours with rank and closeness. An authority missing from a model
  (Cumberland and Westmorland and Furness are not in the 2021 model) has no members, so
  its comparator is null — not an error. Neighbours that did not exist in a year (e.g.
  North and West Northamptonshire before 2021) simply have no value that year.
* `region` — the 9 English regions, London whole.
* `london_area` — Inner or Outer London for London boroughs; for every other authority
  its region (there is no finer split outside London).
* `england` — every other local authority in England; `all` is the same set under the
  label "all other local authorities". The publisher's own England figure is always in
  the comparison table's `england` column as well.
* `la_type` — London borough, metropolitan district, unitary authority, shire county.
* `ofsted_grade` — the same overall grade at the latest graded Ofsted inspection
  (ILACS or earlier frameworks; the unofficial Data to Insight supplement included, as
  it is the only source of grades after March 2025). One grade per authority for all
  years: "authorities rated Outstanding now", not "rated Outstanding in that year".
* named partnerships from a TOML file (`partnerships.example.toml` is shipped and used
  when no file is given): members compare with the other members; other authorities
  compare with all members.

Region, type, grade and England groups are built from the `authorities` table, which also
holds predecessor authorities (Cumbria, Northamptonshire, old Dorset, ...). They are
members too, but only contribute in the years they have data, so each year's group is
the authorities that existed that year.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import polars as pl

from benchmarks.errors import DataError, UnknownAuthorityError, UnknownGroupError
from benchmarks.schema import GRADES

#: Built-in groups and what they mean (the partnership groups come from a TOML file).
BUILTIN_GROUPS: dict[str, str] = {
    "sn2025": "Statistical neighbours, 2025 model (DfE, May 2025): the 10 most similar authorities",
    "sn2021": "Statistical neighbours, 2021 model (DfE, April 2021, LGR version)",
    "region": "Other authorities in the same region (9 English regions, London whole)",
    "london_area": "Inner or Outer London for London boroughs; the region for everyone else",
    "england": "Every other local authority in England",
    "all": "All other local authorities (the same set as england)",
    "la_type": "Other authorities of the same type (London borough, metropolitan district, unitary, shire county)",
    "ofsted_grade": "Other authorities with the same overall grade at their latest Ofsted inspection",
}
DEFAULT_GROUP = "sn2025"
EXAMPLE_PARTNERSHIPS = "partnerships.example.toml"

LA_TYPE_PLURALS = {
    "London borough": "London boroughs",
    "Metropolitan district": "metropolitan districts",
    "Unitary authority": "unitary authorities",
    "Shire county": "shire counties",
}

_MEMBERS_SCHEMA = pl.Schema(
    {"key": pl.String, "member_code": pl.String, "rank": pl.Int32, "closeness": pl.String}
)
MEMBERSHIP_SCHEMA = pl.Schema(
    {
        "la_code": pl.String,
        "member_code": pl.String,
        "group": pl.String,
        "group_label": pl.String,
        "rank": pl.Int32,
        "closeness": pl.String,
    }
)


@dataclass(frozen=True)
class GroupSpec:
    """One comparator group for every authority (see the module docstring)."""

    name: str
    description: str
    focal: pl.DataFrame  # la_code, key, group_label
    members: pl.DataFrame  # key, member_code, rank, closeness

    def _repr_html_(self) -> str:
        """A readable summary in Jupyter (see `benchmarks.display`)."""
        from benchmarks import display

        return display.group_html(self.name, self.description, self.focal, self.members)


@dataclass(frozen=True)
class Partnership:
    """A named group from a partnership file, with members resolved to 3-digit codes."""

    name: str
    description: str
    members: tuple[str, ...]


def list_groups(*, partnerships: Path | None = None) -> pl.DataFrame:
    """The available group names (`group`) and what each means (`description`)."""
    rows = [{"group": k, "description": v, "kind": "built-in"} for k, v in BUILTIN_GROUPS.items()]
    path = _partnership_path(partnerships)
    for name, entry in _read_partnership_file(path).items():
        rows.append(
            {
                "group": name,
                "description": str(
                    entry.get("description") or f"Named partnership group from {path.name}"
                ),
                "kind": "partnership",
            }
        )
    return pl.DataFrame(
        rows, schema={"group": pl.String, "description": pl.String, "kind": pl.String}
    )


def membership(
    authorities: pl.DataFrame,
    neighbours: pl.DataFrame,
    inspections: pl.DataFrame,
    group: str = DEFAULT_GROUP,
    *,
    partnerships: Path | None = None,
) -> pl.DataFrame:
    """Every authority's comparator members as (la_code, member_code) pairs.

    Columns: `la_code` (the focal authority), `member_code`, `group`, `group_label`,
    `rank` and `closeness` (statistical neighbours only, else null). The focal authority
    is never among its own members; an authority with no members has no rows.
    """
    spec = group_spec(authorities, neighbours, inspections, group, partnerships=partnerships)
    return (
        spec.focal.join(spec.members, on="key", how="inner")
        .filter(pl.col("member_code") != pl.col("la_code"))
        .with_columns(group=pl.lit(spec.name))
        .select(MEMBERSHIP_SCHEMA.names())
        .cast(MEMBERSHIP_SCHEMA)
        .sort("la_code", "rank", "member_code", nulls_last=True)
    )


def group_spec(
    authorities: pl.DataFrame,
    neighbours: pl.DataFrame,
    inspections: pl.DataFrame,
    group: str = DEFAULT_GROUP,
    *,
    partnerships: Path | None = None,
) -> GroupSpec:
    """Build one group for every authority; `group` is a built-in or partnership name."""
    path = _partnership_path(partnerships)
    name = _canonical_name(group, path)
    codes = pl.concat(
        [authorities.select("la_code"), neighbours.select("la_code")], how="vertical"
    ).unique()
    auth = codes.join(authorities, on="la_code", how="left").unique("la_code")
    if name in ("sn2025", "sn2021"):
        year = name[2:]
        focal = auth.select(
            "la_code",
            key="la_code",
            group_label=pl.lit(f"statistical neighbours in the {year} model"),
        )
        members = neighbours.filter(pl.col("model") == name).select(
            key="la_code", member_code="neighbour_code", rank="rank", closeness="closeness"
        )
        return _spec(name, focal, members)
    if name in BUILTIN_GROUPS:
        key, label = _keyed(name, auth, inspections)
        return _keyed_spec(name, auth.select("la_code", key=key, group_label=label))
    partnership = read_partnerships(path, authorities)[name]
    inside = pl.col("la_code").is_in(list(partnership.members))
    focal = auth.select(
        "la_code",
        key=pl.lit(name),
        group_label=pl.when(inside)
        .then(pl.lit(f"the other {name} authorities"))
        .otherwise(pl.lit(f"the {name} authorities")),
    )
    members = pl.DataFrame(
        {"member_code": list(partnership.members)}, schema={"member_code": pl.String}
    )
    members = members.with_columns(key=pl.lit(name), rank=None, closeness=None)
    return _spec(name, focal, members, description=partnership.description)


def _keyed(name: str, auth: pl.DataFrame, inspections: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
    """Key and label expressions over `auth` for the groups that partition authorities."""
    in_region = pl.format("other authorities in {}", pl.col("region_name"))
    if name == "region":
        return pl.col("region_code"), in_region
    if name == "london_area":
        london = pl.col("london_area").is_not_null()
        return (
            pl.coalesce("london_area", "region_code"),
            pl.when(london)
            .then(pl.format("other {} authorities", pl.col("london_area")))
            .otherwise(in_region),
        )
    if name in ("england", "all"):
        label = (
            "other authorities in England" if name == "england" else "all other local authorities"
        )
        return pl.lit("England"), pl.lit(label)
    if name == "la_type":
        plural = pl.col("la_type").replace_strict(LA_TYPE_PLURALS, default=pl.col("la_type"))
        return pl.col("la_type"), pl.format("other {}", plural)
    # ofsted_grade: the grade is looked up into the auth frame first
    grades = latest_grades(inspections).select("la_code", "grade")
    grade = pl.col("la_code").replace_strict(
        dict(grades.iter_rows()), default=None, return_dtype=pl.String
    )
    return grade, pl.format("other authorities rated {} at their latest inspection", grade)


def _keyed_spec(name: str, focal: pl.DataFrame) -> GroupSpec:
    """A group where members are every authority that shares the focal authority's key."""
    members = focal.filter(pl.col("key").is_not_null()).select(
        "key", member_code="la_code", rank=pl.lit(None, pl.Int32), closeness=pl.lit(None, pl.String)
    )
    return _spec(name, focal, members)


def _spec(
    name: str, focal: pl.DataFrame, members: pl.DataFrame, *, description: str = ""
) -> GroupSpec:
    return GroupSpec(
        name=name,
        description=description or BUILTIN_GROUPS.get(name, name),
        focal=focal.select("la_code", "key", "group_label").cast(pl.String),
        members=members.select(_MEMBERS_SCHEMA.names()).cast(_MEMBERS_SCHEMA),
    )


def latest_grades(inspections: pl.DataFrame) -> pl.DataFrame:
    """Each authority's overall grade at its latest graded inspection.

    Columns `la_code`, `grade`, `date` (inspection date, else publication date). On the
    same date an official record wins over the unofficial supplement.
    """
    return (
        inspections.filter(pl.col("overall").is_in(GRADES))
        .with_columns(date=pl.coalesce("inspection_date", "publication_date"))
        .sort("la_code", "date", "official", nulls_last=False)
        .group_by("la_code", maintain_order=True)
        .last()
        .select("la_code", grade="overall", date="date")
    )


# ------------------------------------------------------------------ partnership files


def read_partnerships(path: Path | None, authorities: pl.DataFrame) -> dict[str, Partnership]:
    """Read a partnership TOML file and resolve every member to a 3-digit code.

    A member that matches no authority raises DataError naming the file and the group,
    with the closest matches.
    """
    from benchmarks.geography import resolver

    path = _partnership_path(path)
    resolve_la = resolver(authorities)
    out: dict[str, Partnership] = {}
    for name, entry in _read_partnership_file(path).items():
        where = f'[groups."{name}"] members'
        members = entry.get("members")
        if (
            not isinstance(members, list)
            or not members
            or not all(isinstance(m, str) for m in members)
        ):
            raise DataError(
                path,
                "a non-empty list of authority names or codes",
                column=where,
                found=repr(members),
            )
        codes: list[str] = []
        for query in members:
            try:
                codes.append(resolve_la(query))
            except UnknownAuthorityError as exc:
                hint = f"; did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
                raise DataError(
                    path,
                    "a local authority name, 3-digit code or ONS code",
                    column=where,
                    found=f"{query!r}{hint}",
                ) from exc
        out[name] = Partnership(
            name, str(entry.get("description") or ""), tuple(dict.fromkeys(codes))
        )
    return out


def _partnership_path(path: Path | str | None) -> Path:
    if path is not None:
        return Path(path)
    return Path(str(resources.files("benchmarks").joinpath(EXAMPLE_PARTNERSHIPS)))


def _read_partnership_file(path: Path) -> dict[str, dict]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError(path, "a TOML file of partnership groups", found="no such file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataError(path, "valid TOML", found=str(exc)) from exc
    groups = raw.get("groups")
    if not isinstance(groups, dict) or not all(isinstance(v, dict) for v in groups.values()):
        raise DataError(
            path, 'one or more [groups."Name"] tables', column="groups", found=repr(groups)[:80]
        )
    clash = [n for n in groups if n.lower() in BUILTIN_GROUPS]
    if clash:
        raise DataError(
            path,
            "group names that differ from the built-in groups",
            column="groups",
            found=clash[0],
        )
    return groups


def _canonical_name(group: str, path: Path) -> str:
    """The group's canonical spelling; UnknownGroupError lists the known names."""
    lowered = group.strip().lower()
    if lowered in BUILTIN_GROUPS:
        return lowered
    names = list(_read_partnership_file(path))
    for name in names:
        if name.lower() == lowered:
            return name
    raise UnknownGroupError(group, [*BUILTIN_GROUPS, *names])
