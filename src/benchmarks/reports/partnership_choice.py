"""Who a partnership report is about: the partners (names, codes or a named group), the
focus among them, the start year and the comparator, resolved against the data
(`choose`). Pure: the groups file is read through `groups.read_partnerships`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from benchmarks.charts._common import and_list
from benchmarks.errors import BenchmarksError
from benchmarks.panel import Bundle


@dataclass(frozen=True)
class PartnershipChoice:
    """The partners, the focus, the start year and the comparator, resolved against the data."""

    label: str  # the group's name, or the partners' names joined
    group: str | None  # the named group, when the partners were given as one
    codes: tuple[str, ...]
    names: tuple[str, ...]
    focus_code: str | None
    focus_name: str | None
    start_year: int | None
    comparator: str
    comparator_label: str
    year: int  # the latest year any partner has data

    @property
    def slug_name(self) -> str:
        """What the report's file is named after: the label, and the focus if there is one."""
        return self.label + (f" focus {self.focus_name}" if self.focus_name else "")


def split_partners(partners: str | Sequence[str]) -> list[str]:
    """A comma-separated string, or a list of names and codes, as a clean list."""
    items = [partners] if isinstance(partners, str) else list(partners)
    out = [p.strip() for item in items for p in str(item).split(",")]
    return [p for p in out if p]


def choose(
    bundle: Bundle,
    table: pl.DataFrame,
    partners: str | Sequence[str],
    *,
    focus: str | None = None,
    start_year: int | None = None,
    comparator: str = "sn2025",
    groups_file: str | Path | None = None,
) -> PartnershipChoice:
    """Resolve the partners (names or codes, or one named group's name), the focus (which
    must be one of them) and check the start year.

    An unknown name raises UnknownAuthorityError with the closest matches (a national body
    such as Cafcass says it has no local authority data); a focus outside the partners, or
    no partners at all, is a BenchmarksError.
    """
    from benchmarks.geography import resolver
    from benchmarks.groups import read_partnerships

    queries = split_partners(partners)
    if not queries:
        raise BenchmarksError("name the partners: authority names or codes, or a named group")
    groups = read_partnerships(Path(groups_file) if groups_file else None, bundle.authorities)
    wanted = " ".join(queries[0].split()).casefold() if len(queries) == 1 else None
    group = next((g for g in groups if g.casefold() == wanted), None)
    resolve = resolver(bundle.authorities)
    if group is not None:
        codes = groups[group].members
    else:
        codes = tuple(dict.fromkeys(resolve(q) for q in queries))
    names = dict(bundle.authorities.select("la_code", "la_name").iter_rows())
    focus_code = focus_name = None
    if focus:
        focus_code = resolve(focus)
        if focus_code not in codes:
            raise BenchmarksError(
                f"the focus {focus!r} is not one of the partners "
                f"({', '.join(str(names[c]) for c in codes)})"
            )
        focus_name = str(names[focus_code])
    label = group or and_list([str(names[c]) for c in codes])
    mine = table.filter(pl.col("la_code").is_in(list(codes)) & pl.col("value").is_not_null())
    if mine.height == 0:
        raise BenchmarksError(f"There is no data for {label} in {bundle.meta.get('data_dir')}.")
    labels = table.filter(pl.col("la_code").is_in(list(codes)))["group_label"].drop_nulls()
    return PartnershipChoice(
        label=label,
        group=group,
        codes=tuple(codes),
        names=tuple(str(names[c]) for c in codes),
        focus_code=focus_code,
        focus_name=focus_name,
        start_year=start_year or None,
        comparator=comparator,
        comparator_label=str(labels[0]) if labels.len() else comparator,
        year=int(mine["year"].max()),  # type: ignore[arg-type]
    )


__all__ = ["PartnershipChoice", "choose", "split_partners"]
