"""Tiny hand-written EES-layout CSVs for reader unit tests (fake values, real layout)."""

from __future__ import annotations

from pathlib import Path

ID_HEADER = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]


def national(year: int) -> list[str]:
    """Geography cells of an England row."""
    return [str(year), "Reporting year", "National", "E92000001", "England", "", "", "", "", ""]


def regional(
    year: int, code: str = "E12000003", name: str = "Yorkshire and The Humber"
) -> list[str]:
    """Geography cells of a region row."""
    return [str(year), "Reporting year", "Regional", "E92000001", "England", code, name, "", "", ""]


def la(year: int, code: str, name: str, ons: str = "E08000035") -> list[str]:
    """Geography cells of a local-authority row (Yorkshire and The Humber)."""
    return [
        str(year),
        "Reporting year",
        "Local authority",
        "E92000001",
        "England",
        "E12000003",
        "Yorkshire and The Humber",
        code,
        ons,
        name,
    ]


def write_ees(path: Path, columns: list[str], rows: list[tuple[list[str], list[str]]]) -> Path:
    """Write an EES CSV: the ten geography columns, then `columns`; each row is
    (geography cells, value cells). Cells containing a comma are quoted."""

    def line(cells: list[str]) -> str:
        return ",".join(f'"{c}"' if "," in c else c for c in cells)

    text = "\n".join([line([*ID_HEADER, *columns]), *(line([*g, *v]) for g, v in rows)]) + "\n"
    path.write_text(text, encoding="utf-8")
    return path
