"""Join every source into the tidy tables (a Bundle), with a data-quality flags table.

`load(data_dir)` is the entry point: it resolves the data folder, and either loads the
cached bundle (parquet + the sha256 of every input) or rebuilds it from the raw files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from benchmarks import cache, datadir, indicators
from benchmarks.errors import DataError
from benchmarks.schema import (
    AUTHORITIES_SCHEMA,
    FLAGS_SCHEMA,
    INSPECTIONS_SCHEMA,
    NEIGHBOURS_SCHEMA,
    PANEL_SCHEMA,
    conform,
)
from benchmarks.sources import (
    authorities,
    children_in_need,
    inspections,
    looked_after,
    neighbours,
    outcomes,
    population,
    workforce,
)

TABLES = ("panel", "authorities", "inspections", "neighbours", "flags")
CACHE_FORMAT = 1

#: Observation readers: source id -> reader(path) returning OBSERVATION_SCHEMA rows.
OBSERVATION_READERS: dict[str, Callable[[Path], pl.DataFrame]] = {
    "csww": workforce.read_csww,
    "cla_swcount": workforce.read_cla_swcount,
    "cin_b1": children_in_need.read_b1,
    "cin_c1": children_in_need.read_c1,
    "cin_c3": children_in_need.read_c3,
    "cin_c4": children_in_need.read_c4,
    "cin_d3": children_in_need.read_d3,
    "cin_d5": children_in_need.read_d5,
    "cla": looked_after.read_cla,
    "ons_population": population.read_population,
    "cla_placement_stability": outcomes.read_placement_stability,
    "care_leavers_activity": outcomes.read_care_leavers_activity,
    "care_leavers_accommodation": outcomes.read_care_leavers_accommodation,
}
OTHER_SOURCES = (
    "las",
    "region_hierarchy",
    "la_code_list",
    "sn2025",
    "sn2021",
    "ofsted_outcomes",
    "ofsted_underlying_2023",
    "d2i_ilacs",
)
#: Sources a data folder may lack: loaded when present. The D2I supplement is unofficial;
#: the outcome files and c3 are newer than data folders a user may have downloaded
#: before them (such a folder still loads, without those indicators). The demonstration
#: set always has them.
OPTIONAL_SOURCES = (
    "d2i_ilacs",
    "cin_c3",
    "cla_placement_stability",
    "care_leavers_activity",
    "care_leavers_accommodation",
)

#: Flag names for each status marker.
MARKER_FLAGS = {
    "c": ("suppressed", "Not published: suppressed to protect confidentiality (c)."),
    "x": ("not_available", "Not available: not collected, not submitted or withheld (x)."),
    "z": ("not_applicable", "Not applicable (z)."),
    "u": ("low_reliability", "Withheld by the publisher as of low reliability (u)."),
    "low": ("rounds_to_zero", "A positive value that rounds to zero (low)."),
    "k": ("rounds_to_zero", "A positive value that rounds to zero (k)."),
    "missing": ("missing", "The cell was empty in the published file."),
}
#: A proportion on fewer than this many cases, or a rate per 10,000 on fewer than this
#: many children, is flagged as resting on a small denominator.
SMALL_PROPORTION_BASE = 30.0
SMALL_POPULATION = 10_000.0


@dataclass(frozen=True)
class Bundle:
    """Every table the tool works from, plus where it came from (`meta`)."""

    panel: pl.DataFrame
    authorities: pl.DataFrame
    inspections: pl.DataFrame
    neighbours: pl.DataFrame
    flags: pl.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def demo(self) -> bool:
        """True when built from the generated demonstration dataset."""
        return bool(self.meta.get("demo"))

    def _repr_html_(self) -> str:
        """A readable summary in Jupyter (see `benchmarks.display`)."""
        from benchmarks import display

        return display.bundle_html(
            {name: getattr(self, name) for name in TABLES}, self.meta, demo=self.demo
        )


def load(data_dir: str | Path | None = None, *, use_cache: bool = True) -> Bundle:
    """Load the bundle for a data folder (see `benchmarks.datadir.resolve` for the order).

    With no data at all, the demonstration dataset is written first (see `prepare`).

    The built tables are cached as parquet (`benchmarks.cache`), keyed by the one
    fingerprint of every input file and the package's code; a change to any rebuilds.
    """
    where = prepare(data_dir)
    files = input_files(where.path)
    key = _cache_key(files)
    stored = cache.frames_dir(where.path)
    if use_cache:
        if _LOADED.get("key") == (stored, key):
            return _LOADED["bundle"]  # type: ignore[no-any-return]
        cached = _read_cache(stored, key)
        if cached is not None:
            _LOADED.update(key=(stored, key), bundle=cached)
            return cached
    bundle = build(files, meta=_meta(where, files, key["inputs"]))
    if use_cache:
        _write_cache(stored, key, bundle)
    return bundle


#: The last bundle read from the cache, under its key: a kept kernel rendering a pack
#: reads the parquet files once (the frames are immutable; nothing changes `meta`).
_LOADED: dict[str, Any] = {}


def prepare(data_dir: str | Path | None = None) -> datadir.DataDir:
    """Resolve the data folder; on a first run with no data, write the demonstration set.

    `datadir.resolve` never writes. This is the one place that does, when resolution
    falls back to a demonstration folder that does not exist yet: `demo.ensure` writes
    it and says so with one line on stderr. Call it before starting a report kernel so
    that the line goes to the terminal, not into the report.
    """
    where = datadir.resolve(data_dir)
    if where.missing_demo:
        from benchmarks import demo

        demo.ensure(where.path)
    return where


def input_files(data_dir: Path) -> dict[str, Path]:
    """Every source file in a data folder, by source id (OPTIONAL_SOURCES only if present)."""
    out: dict[str, Path] = {}
    for source_id in [*OBSERVATION_READERS, *OTHER_SOURCES]:
        if source_id in OPTIONAL_SOURCES and not any(
            data_dir.glob(datadir.registry()[source_id]["path_glob"])
        ):
            continue
        out[source_id] = datadir.source_file(data_dir, source_id)
    return out


def build(files: dict[str, Path], *, meta: dict[str, Any] | None = None) -> Bundle:
    """Read every source file and assemble the bundle (no cache)."""
    auth = authorities.read_authorities(
        files["las"], files["region_hierarchy"], files["la_code_list"]
    )
    obs = pl.concat(
        [read(files[s]) for s, read in OBSERVATION_READERS.items() if s in files], how="vertical"
    )
    pop = obs.filter(pl.col("indicator") == "population_0_17")
    obs = children_in_need.add_population_rates(obs, pop)
    _check_unique(obs, files)
    _check_known(obs, auth, files)
    official = [inspections.read_ofsted_outcomes(files["ofsted_outcomes"], auth)]
    official.append(inspections.read_ofsted_2023(files["ofsted_underlying_2023"], auth))
    d2i = inspections.read_d2i(files["d2i_ilacs"]) if "d2i_ilacs" in files else None
    insp = inspections.combine_inspections(official, d2i)
    sns = pl.concat(
        [neighbours.read_sn2025(files["sn2025"]), neighbours.read_sn2021(files["sn2021"])]
    )
    panel = conform(obs.sort("indicator", "la_code", "year"), PANEL_SCHEMA, name="panel")
    return Bundle(
        panel=panel,
        authorities=conform(auth, AUTHORITIES_SCHEMA, name="authorities"),
        inspections=conform(insp, INSPECTIONS_SCHEMA, name="inspections"),
        neighbours=conform(sns, NEIGHBOURS_SCHEMA, name="neighbours"),
        flags=flags_table(obs, auth),
        meta=meta or {},
    )


def _check_unique(obs: pl.DataFrame, files: dict[str, Path]) -> None:
    """An authority may appear once per indicator and year; two codes for one LA is an error."""
    dupes = obs.filter(pl.len().over("la_code", "year", "indicator") > 1)
    if dupes.height:
        first = dupes.sort("la_code", "year").row(0, named=True)
        raise DataError(
            files.get(first["source"], first["source"]),
            f"one row per local authority and year for {first['indicator']}",
            column="old_la_code",
            found=f"LA {first['la_code']} ({first['la_name']}) more than once in {first['year']}",
        )


def _check_known(obs: pl.DataFrame, auth: pl.DataFrame, files: dict[str, Path]) -> None:
    """Every LA row must name an authority in the LA list (a mistyped code is not an LA)."""
    unknown = obs.filter(
        (pl.col("level") == "la") & ~pl.col("la_code").is_in(auth["la_code"].implode())
    )
    if unknown.height:
        first = unknown.sort("year").row(0, named=True)
        raise DataError(
            files.get(first["source"], first["source"]),
            "a 3-digit LA code listed in the DfE LA list (authorities/las.csv)",
            column="old_la_code",
            found=f"{first['la_code']!r} for {first['la_name']!r} in {first['year']}",
        )


def flags_table(obs: pl.DataFrame, auth: pl.DataFrame) -> pl.DataFrame:
    """Data-quality flags generated from the data: one row per LA x year x indicator x flag."""
    la_rows = obs.filter(pl.col("level") == "la")
    marker = la_rows.filter(pl.col("status").is_not_null()).join(
        auth.select("la_code", "date_of_operation", "date_of_termination"), on="la_code", how="left"
    )
    year_start = pl.date(pl.col("year"), 1, 1)
    not_existing = (pl.col("status") == "z") & (
        (pl.col("date_of_operation") > pl.date(pl.col("year"), 12, 31))
        | (pl.col("date_of_termination") < year_start)
    )
    marker = marker.with_columns(
        flag=pl.when(not_existing)
        .then(pl.lit("not_in_existence"))
        .otherwise(pl.col("status").replace_strict({k: v[0] for k, v in MARKER_FLAGS.items()})),
        explanation=pl.when(not_existing)
        .then(pl.lit("The authority did not exist in this year (z)."))
        .otherwise(pl.col("status").replace_strict({k: v[1] for k, v in MARKER_FLAGS.items()})),
        joint_code=pl.lit(None, pl.String),
    )
    joint = la_rows.filter(pl.col("joint_code").is_not_null()).with_columns(
        flag=pl.lit("joint_return"),
        explanation=pl.format(
            "A joint return for {} ({}): the same combined figure is shown for each partner "
            "and counted once in every aggregate.",
            pl.col("joint_code"),
            pl.lit("one children's services organisation"),
        ),
    )
    parts = [marker.select(FLAGS_SCHEMA.names()), joint.select(FLAGS_SCHEMA.names())]
    parts.append(_series_break_flags(la_rows))
    parts.append(_small_denominator_flags(la_rows))
    return conform(
        pl.concat(parts, how="vertical").unique().sort("la_code", "year", "indicator", "flag"),
        FLAGS_SCHEMA,
        name="flags",
    )


def _series_break_flags(la_rows: pl.DataFrame) -> pl.DataFrame:
    breaks = pl.DataFrame(
        [
            {"indicator": i.id, "year": year, "explanation": f"Series break: {note}"}
            for i in indicators.catalogue().values()
            for year, note in i.series_breaks
        ],
        schema={"indicator": pl.String, "year": pl.Int32, "explanation": pl.String},
    )
    return (
        la_rows.select("la_code", "year", "indicator")
        .join(breaks, on=["indicator", "year"], how="inner")
        .with_columns(flag=pl.lit("series_break"), joint_code=pl.lit(None, pl.String))
        .select(FLAGS_SCHEMA.names())
    )


def _small_denominator_flags(la_rows: pl.DataFrame) -> pl.DataFrame:
    """Rates whose denominator is small enough that chance alone moves them a lot."""
    rows = []
    for ind in indicators.catalogue().values():
        if ind.interval not in ("wilson", "poisson") or not ind.denominator:
            continue
        threshold = SMALL_PROPORTION_BASE if ind.interval == "wilson" else SMALL_POPULATION
        lag = ind.population_lag if ind.denominator == ("population_0_17",) else 0
        den = (
            la_rows.filter(pl.col("indicator").is_in(ind.denominator))
            .group_by("la_code", "year")
            .agg(pl.col("value").sum().alias("den"), pl.col("value").null_count().alias("nulls"))
            .filter(pl.col("nulls") == 0)
            .with_columns(pl.col("year") + lag)
        )
        rows.append(
            la_rows.filter(pl.col("indicator") == ind.id)
            .select("la_code", "year", "indicator")
            .join(den, on=["la_code", "year"], how="inner")
            .filter(pl.col("den") < threshold)
            .with_columns(
                flag=pl.lit("small_denominator"),
                explanation=pl.format(
                    "Small base ({} {}): chance alone can move this figure a lot.",
                    pl.col("den").round(0).cast(pl.Int64),
                    pl.lit("cases" if ind.interval == "wilson" else "children aged 0-17"),
                ),
                joint_code=pl.lit(None, pl.String),
            )
            .select(FLAGS_SCHEMA.names())
        )
    return pl.concat(rows) if rows else pl.DataFrame(schema=FLAGS_SCHEMA)


# ---------------------------------------------------------------- provenance and cache


def _cache_key(files: dict[str, Path]) -> dict[str, Any]:
    """Every input file's sha256 and the one fingerprint over them and the code."""
    inputs = {source_id: cache.sha256_file(path) for source_id, path in sorted(files.items())}
    return {
        "inputs": inputs,
        "fingerprint": cache.fingerprint(inputs, result="panel", format=CACHE_FORMAT),
    }


def _meta(where: datadir.DataDir, files: dict[str, Path], digests: dict[str, str]) -> dict[str, Any]:
    registry = datadir.registry()
    fetched: dict[str, Any] = {}
    manifest = where.path / "fetch_manifest.json"
    if manifest.exists():
        try:
            fetched = json.loads(manifest.read_text(encoding="utf-8")).get("sources", {})
        except (json.JSONDecodeError, AttributeError):
            fetched = {}
    sources = []
    for source_id, path in files.items():
        entry = registry[source_id]
        record = fetched.get(source_id, {}) if isinstance(fetched, dict) else {}
        sources.append(
            {
                "id": source_id,
                "title": entry["title"],
                "publisher": entry["publisher"],
                "official": bool(entry.get("official", True)),
                "landing_page": entry.get("landing_page"),
                "file": path.relative_to(where.path).as_posix(),
                "sha256": digests[source_id],
                "fetched_at": record.get("fetched_at") if isinstance(record, dict) else None,
            }
        )
    return {
        "data_dir": str(where.path),
        "origin": where.origin,
        "demo": where.demo,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": sources,
    }


def _read_cache(where: Path, key: dict[str, Any]) -> Bundle | None:
    stored = cache.read_frames(where, key, TABLES)
    if stored is None:
        return None
    frames, meta = stored
    return Bundle(**frames, meta=meta)


def _write_cache(where: Path, key: dict[str, Any], bundle: Bundle) -> None:
    cache.write_frames(where, key, {name: getattr(bundle, name) for name in TABLES}, bundle.meta)
