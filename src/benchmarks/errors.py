"""Errors that say exactly where bad input is and what was expected."""

from __future__ import annotations

from pathlib import Path


class BenchmarksError(Exception):
    """Base class for errors the command line reports without a traceback."""


def reason(exc: BaseException) -> str:
    """An exception as a failure's one line: our errors' own message, any other exception
    with its type ("RuntimeError: kernel died")."""
    return str(exc) if isinstance(exc, BenchmarksError) else f"{type(exc).__name__}: {exc}"


class DataError(BenchmarksError):
    """A published file is not in the shape or content we expect.

    The message always names the file and, where they apply, the sheet, column and
    1-based row (the spreadsheet row or CSV line, header included), plus what was
    expected and what was found.
    """

    def __init__(
        self,
        path: str | Path,
        expected: str,
        *,
        sheet: str | None = None,
        column: str | None = None,
        row: int | None = None,
        found: str | None = None,
    ) -> None:
        self.path = str(path)
        self.sheet = sheet
        self.column = column
        self.row = row
        self.expected = expected
        self.found = found
        where = [f"file {self.path}"]
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if column is not None:
            where.append(f"column {column!r}")
        if row is not None:
            where.append(f"row {row}")
        message = ", ".join(where) + f": expected {expected}"
        if found is not None:
            message += f", found {found}"
        super().__init__(message)


class UnknownAuthorityError(BenchmarksError, LookupError):
    """A name or code that matches no local authority; suggests close matches."""

    def __init__(self, query: str, suggestions: list[str], *, reason: str | None = None) -> None:
        self.query = query
        self.suggestions = suggestions
        if reason is not None:  # e.g. a national body, which has no local authority data
            super().__init__(f"{reason}.")
            return
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"No local authority matches {query!r}.{hint}")


class UnknownGroupError(BenchmarksError, LookupError):
    """A comparator group name that is not defined."""

    def __init__(self, query: str, known: list[str]) -> None:
        self.query = query
        self.known = known
        super().__init__(f"No comparator group {query!r}. Known groups: {', '.join(known)}")
