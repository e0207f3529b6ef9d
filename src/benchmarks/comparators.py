"""Comparator-group statistics on dense arrays: every authority's group mean, median and
pooled value at once, for one comparator group.

`dense_index` numbers the authorities and indicator-years, `Dense` holds the values as an
authority x indicator-year grid, and `comparators` computes each authority's comparators
from its group's members, leaving the authority itself (and its joint-return partner) out.
The rules are in `benchmarks.comparison`'s docstring ("Joint returns count once",
"Comparators").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from benchmarks.groups import GroupSpec


@dataclass(frozen=True)
class Dense:
    """The LA rows as arrays: one row per authority (plus an all-NaN pad row at the end),
    one column per indicator-year. `k`/`n` are NaN unless both are usable for pooling.
    `base` must carry the `_row`/`_col` indices from `dense_index`."""

    n_la: int
    value: np.ndarray
    k: np.ndarray
    n: np.ndarray
    joints: list[tuple[np.ndarray, np.ndarray]]  # (LA indices, column indices) of each joint return

    @classmethod
    def from_base(cls, base: pl.DataFrame, n_la: int) -> Dense:
        row, col = base["_row"].to_numpy(), base["_col"].to_numpy()
        shape = (n_la + 1, int(col.max()) + 1 if col.size else 0)
        pooled_ok = (base["k"].is_not_null() & base["n"].is_not_null() & (base["n"] > 0)).to_numpy()
        arrays = {}
        for name, mask in (("value", None), ("k", pooled_ok), ("n", pooled_ok)):
            grid = np.full(shape, np.nan)
            values = base[name].cast(pl.Float64).to_numpy()
            grid[row, col] = values if mask is None else np.where(mask, values, np.nan)
            arrays[name] = grid
        cells = base.filter(pl.col("unit") != pl.col("la_code")).select("unit", "_row", "_col")
        joints = [
            (cell["_row"].to_numpy(), cell["_col"].to_numpy())
            for _, cell in cells.group_by("unit", maintain_order=True)
        ]
        return cls(n_la, arrays["value"], arrays["k"], arrays["n"], joints)


def dense_index(base: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Add `_row` (LA index, codes sorted) and `_col` (indicator-year index) to `base`."""
    codes = base["la_code"].unique().sort().to_list()
    return (
        base.with_columns(
            _row=_position(pl.col("la_code"), codes),
            _col=(pl.struct("indicator", "year").rank("dense") - 1).cast(pl.Int64),
        ),
        codes,
    )


def comparators(dense: Dense, codes: list[str], spec: GroupSpec) -> dict[str, np.ndarray]:
    """Mean, median and pooled comparator of every authority's group (LA x column arrays),
    plus `comparator_n`, the number of member units with a value.

    Works per group key, not per authority: each key's member values are gathered,
    summed and sorted once; then the focal authority's own unit is left out of its key's
    figures when it is a member (mean and pooled by subtraction; median by reading the
    sorted values past the focal value: once it is removed, the i-th smallest remaining
    value is `vals[i]` when that is below the focal value, else `vals[i + 1]`). A joint
    return is one unit: a second partner in the same key is dropped, and a focal
    authority's partner counts as the focal authority itself.
    """
    n_la, n_col = dense.n_la, dense.value.shape[1]
    focal_key, members = _key_arrays(codes, spec)
    n_keys = members.shape[0] - 1
    in_key = np.zeros((n_keys + 1, n_la + 1), dtype=bool)  # last key = "no group"
    np.put_along_axis(in_key, members, True, axis=1)
    in_key[:, n_la] = False
    value, k, n = (a[members] for a in (dense.value, dense.k, dense.n))  # key x member x column
    inside = in_key[focal_key[:, None], np.arange(n_la + 1)[:, None]] & np.ones(
        (1, n_col), dtype=bool
    )
    for las, cols in dense.joints:
        first = las.min()
        for la in np.unique(las):
            here = cols[las == la]
            if la != first:  # the second partner of a return counts only when the first is absent
                dup = in_key[:, [first]] & (members == la)
                value[:, :, here] = np.where(dup[:, :, None], np.nan, value[:, :, here])
                k[:, :, here] = np.where(dup[:, :, None], np.nan, k[:, :, here])
                n[:, :, here] = np.where(dup[:, :, None], np.nan, n[:, :, here])
            # an authority's own unit is in its key when either partner is a member
            partner_in = in_key[focal_key[la], np.unique(las)].any()
            inside[la, here] = partner_in
    own_v, own_k, own_n = dense.value, dense.k, dense.n
    inside_v = inside & ~np.isnan(own_v)
    inside_p = inside & ~np.isnan(own_k)
    counts = (~np.isnan(value)).sum(axis=1)
    sums = np.nansum(value, axis=1)
    ordered = np.sort(value, axis=1)  # NaN last
    pooled_k, pooled_n = np.nansum(k, axis=1), np.nansum(n, axis=1)
    pooled_count = (~np.isnan(k)).sum(axis=1)
    fk = focal_key[:, None]
    m = counts[focal_key] - inside_v
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (sums[focal_key] - np.where(inside_v, own_v, 0.0)) / m
        columns = np.arange(n_col)[None, :]
        width = ordered.shape[1]

        def nth(i: np.ndarray) -> np.ndarray:
            here = ordered[fk, np.clip(i, 0, width - 1), columns]
            after = ordered[fk, np.clip(i + 1, 0, width - 1), columns]
            return np.where(inside_v & (here >= own_v), after, here)

        median = (nth((m - 1) // 2) + nth(m // 2)) / 2
        den = pooled_n[focal_key] - np.where(inside_p, own_n, 0.0)
        pooled = (pooled_k[focal_key] - np.where(inside_p, own_k, 0.0)) / den
        pooled_m = pooled_count[focal_key] - inside_p
    has = m > 0
    return {
        "comparator_mean": np.where(has, mean, np.nan),
        "comparator_median": np.where(has, median, np.nan),
        "comparator_pooled": np.where((pooled_m > 0) & (den > 0), pooled, np.nan),
        "comparator_n": m,
    }


def _key_arrays(codes: list[str], spec: GroupSpec) -> tuple[np.ndarray, np.ndarray]:
    """Integer form of a group: each LA's key index (the last index = no group; the pad
    row too) and a key x member matrix of LA indices, padded with the pad row."""
    pad = len(codes)
    members = spec.members.filter(pl.col("member_code").is_in(codes) & pl.col("key").is_not_null())
    members = members.unique(["key", "member_code"])
    keys = members["key"].unique().sort().to_list()
    members = members.select(
        key=_position(pl.col("key"), keys), la=_position(pl.col("member_code"), codes)
    ).with_columns(pos=pl.int_range(pl.len()).over("key"))
    width = int(members["pos"].max() or 0) + 1  # type: ignore[arg-type]
    matrix = np.full((len(keys) + 1, width), pad, dtype=np.int64)
    if members.height:
        matrix[members["key"].to_numpy(), members["pos"].to_numpy()] = members["la"].to_numpy()
    focal = spec.focal.filter(pl.col("la_code").is_in(codes) & pl.col("key").is_in(keys)).select(
        la=_position(pl.col("la_code"), codes), key=_position(pl.col("key"), keys)
    )
    focal_key = np.full(pad + 1, len(keys), dtype=np.int64)
    if focal.height:
        focal_key[focal["la"].to_numpy()] = focal["key"].to_numpy()
    return focal_key, matrix


def _position(column: pl.Expr, values: list[str]) -> pl.Expr:
    """Each value's index in `values` (which must hold them all)."""
    return column.replace_strict(values, list(range(len(values))), return_dtype=pl.Int64)
