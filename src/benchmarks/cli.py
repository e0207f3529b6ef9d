"""The `benchmarks` command line. Thin: every command calls the library."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from benchmarks.errors import BenchmarksError

EXPORT_TABLES = (
    "panel",
    "inspections",
    "authorities",
    "neighbours",
    "flags",
    "comparison",
    "improvers",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="benchmarks",
        description="Benchmark English local authorities' children's social care.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def data_dir_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--data-dir",
            type=Path,
            help="folder of published files in the official layout "
            "(default: $BENCHMARKS_DATA, else fetched data, else demonstration data)",
        )

    p = sub.add_parser("fetch", help="download the current published files from the publishers")
    p.add_argument("--dest", type=Path, help="folder to fill (default: data/published)")
    p.add_argument("--only", action="append", metavar="SOURCE", help="fetch only this source id")
    p.add_argument("--quiet", action="store_true", help="no progress output (for cron)")

    p = sub.add_parser("demo-data", help="write the demonstration dataset (invented values)")
    p.add_argument("--out", type=Path, help="folder to write (default: data/demo)")

    p = sub.add_parser("export", help="write a table as .csv or .parquet, or tables as .xlsx")
    data_dir_option(p)
    p.add_argument(
        "--table",
        choices=EXPORT_TABLES,
        action="append",
        help="table to write (repeatable for .xlsx; default for .xlsx: every bundle table)",
    )
    p.add_argument("--group", default="sn2025", help="comparator group for --table comparison")
    p.add_argument("--groups-file", type=Path, help="TOML file of named partnership groups")
    p.add_argument("--out", type=Path, required=True, help="output file (.csv, .parquet or .xlsx)")

    p = sub.add_parser("report", help="render authority reports as self-contained HTML")
    data_dir_option(p)
    p.add_argument("--la", action="append", default=[], help="authority name or code (repeatable)")
    p.add_argument("--all", action="store_true", help="every current authority")
    p.add_argument("--region", action="append", default=[], help="every authority in a region")
    p.add_argument("--group", action="append", default=[], help="every member of a named group")
    p.add_argument("--groups-file", type=Path, help="TOML file of named partnership groups")
    p.add_argument("--year", type=int, help="report year (default: the latest)")
    _render_options(p, workers="parallel workers for packs (default: cores)")
    _partnership_parser(sub, data_dir_option)
    _explore_parsers(sub, data_dir_option)
    return parser


def _partnership_parser(sub: Any, data_dir_option: Any) -> None:
    """`benchmarks partnership`: one partnership's report, or every named group as a pack."""
    p = sub.add_parser("partnership", help="render partnership reports as self-contained HTML")
    data_dir_option(p)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--partners", nargs="+", metavar="LA", help="authority names or codes")
    who.add_argument("--group", help="a named group of authorities (see --groups-file)")
    who.add_argument("--all-groups", action="store_true", help="every named group, as a pack")
    p.add_argument("--focus", help="the supported authority (one of the partners)")
    p.add_argument("--start-year", type=int, help="the year the partnership began")
    p.add_argument("--groups-file", type=Path, help="TOML file of named partnership groups")
    _render_options(p, workers="parallel workers for --all-groups")


def _render_options(p: argparse.ArgumentParser, *, workers: str) -> None:
    """The options every rendering command with packs takes: comparator, output, workers."""
    p.add_argument("--comparator", default="sn2025", help="sn2025, sn2021, region or a named group")
    p.add_argument(
        "--out", type=Path, default=Path("reports"), help="output folder (default: reports)"
    )
    p.add_argument("--workers", type=int, help=workers)
    p.add_argument("--force", action="store_true", help="re-render even when nothing changed")
    p.add_argument("--quiet", action="store_true", help="no progress bar (for cron)")


def _explore_parsers(sub: argparse._SubParsersAction, data_dir_option: Any) -> None:
    """`explore` (the exploration notebook as one offline page) and `lab` (JupyterLab)."""
    p = sub.add_parser("explore", help="render the exploration notebook as one offline HTML page")
    data_dir_option(p)
    p.add_argument("--la", required=True, help="authority name or code")
    p.add_argument(
        "--out", type=Path, default=Path("reports"), help="output folder (default: reports)"
    )

    p = sub.add_parser("lab", help="open JupyterLab on the notebooks, with the data configured")
    data_dir_option(p)
    p.add_argument("--no-browser", action="store_true", help="start the server only")
    p.add_argument(
        "--dry-run", action="store_true", help="print the command and data folder; start nothing"
    )
    p.add_argument(
        "jupyter_options",
        nargs=argparse.REMAINDER,
        metavar="-- JUPYTERLAB OPTIONS",
        help="anything after -- goes to JupyterLab, e.g. -- --port 8890",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        return int(COMMANDS[args.command](args) or 0)
    except BenchmarksError as exc:
        print(f"benchmarks {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _fetch(args: argparse.Namespace) -> int:
    from benchmarks import datadir, fetch

    dest = args.dest or datadir.home() / "published"
    result = fetch.run_fetch(dest, only=args.only, progress=not args.quiet)
    return result.exit_code


def _demo(args: argparse.Namespace) -> int:
    from benchmarks import datadir, demo

    out = demo.write_demo(args.out or datadir.home() / "demo")
    print(f"Demonstration data (invented values) written to {out}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from benchmarks import atomic, panel

    if args.out.suffix.lower() == ".xlsx":
        return _export_xlsx(args)
    if args.out.suffix.lower() not in (".csv", ".parquet"):
        raise BenchmarksError(f"cannot write {args.out}: name a .csv, .parquet or .xlsx file")
    if not args.table or len(args.table) > 1:
        raise BenchmarksError("name one table with --table for .csv or .parquet")
    args.table = args.table[0]
    bundle = panel.load(args.data_dir)
    if args.table == "comparison":
        from benchmarks import comparison

        frame = comparison.comparison_for_bundle(
            bundle, group=args.group, partnerships=args.groups_file
        )
    elif args.table == "improvers":
        frame = _improvers(bundle)
    else:
        frame = getattr(bundle, args.table)
    if args.out.suffix.lower() == ".csv":
        frame = frame.with_columns(
            [frame[c].list.join("; ") for c, t in frame.schema.items() if str(t).startswith("List")]
        )
    atomic.write_frame(frame, args.out)
    note = " (demonstration data)" if bundle.demo else ""
    print(f"Wrote {frame.height} rows of {args.table} to {args.out}{note}")
    return 0


def _export_xlsx(args: argparse.Namespace) -> int:
    from benchmarks import export, panel

    names = list(dict.fromkeys(args.table or export.BUNDLE_TABLES))
    if "improvers" in names:
        raise BenchmarksError("write --table improvers as a .csv or .parquet file")
    bundle = panel.load(args.data_dir)
    table = None
    if "comparison" in names:
        from benchmarks import comparison

        table = comparison.comparison_for_bundle(
            bundle, group=args.group, partnerships=args.groups_file
        )
    tables = export.bundle_tables(bundle, names, comparison=table)
    export.write_xlsx(tables, args.out, meta=bundle.meta)
    note = " (demonstration data)" if bundle.demo else ""
    print(f"Wrote {', '.join(names)} and notes to {args.out}{note}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from benchmarks import render

    pack = args.all or args.region or args.group or len(args.la) > 1
    if not pack and not args.la:
        raise BenchmarksError("name an authority with --la NAME, or use --all, --region or --group")
    if not pack:
        path = render.render_report(
            args.la[0],
            year=args.year,
            comparator=args.comparator,
            data_dir=args.data_dir,
            out_dir=args.out,
            groups_file=args.groups_file,
        )
        print(f"Report written to {path}")
        return 0
    from benchmarks.packs import PackOptions, Selection, pack_command

    if args.workers is not None and args.workers < 1:
        raise BenchmarksError("--workers must be 1 or more")
    selection = Selection(
        every=bool(args.all),
        regions=tuple(args.region or ()),
        groups=tuple(args.group or ()),
        las=tuple(args.la or ()),
        groups_file=args.groups_file,
    )
    options = PackOptions(
        out_dir=args.out,
        year=args.year,
        comparator=args.comparator,
        data_dir=args.data_dir,
        workers=args.workers,
        force=args.force,
    )
    return pack_command(selection, options, quiet=args.quiet)


def _improvers(bundle: Any) -> Any:
    """The improvers table with exactly the issue's nine columns."""
    from benchmarks import improvement

    frame = improvement.improvers(bundle.inspections, authorities=bundle.authorities)
    return frame.select(improvement.IMPROVER_COLUMNS)


def _partnership(args: argparse.Namespace) -> int:
    from benchmarks.packs import partnerships

    if args.all_groups:
        if args.focus or args.start_year:
            raise BenchmarksError("--focus and --start-year name one partnership, not --all-groups")
        from benchmarks.packs.lock import EXIT_LOCKED, PackLocked
        from benchmarks.packs.run import progress_bar, summary

        if args.workers is not None and args.workers < 1:
            raise BenchmarksError("--workers must be 1 or more")
        options = partnerships.GroupPackOptions(
            out_dir=args.out,
            comparator=args.comparator,
            data_dir=args.data_dir,
            groups_file=args.groups_file,
            workers=args.workers,
            force=args.force,
        )
        try:
            result = partnerships.run_group_pack(options, progress=progress_bar(args.quiet))
        except PackLocked as exc:
            print(f"benchmarks partnership: {exc}", file=sys.stderr)
            return EXIT_LOCKED
        line, failures = summary(result)
        print(line.replace(f"{result.year}: {result.total} authorities", f"{result.total} groups"))
        for text in failures:
            print(text, file=sys.stderr)
        return result.exit_code
    _check_partnership(args)
    path = partnerships.render_partnership(
        args.group or args.partners,
        focus=args.focus,
        start_year=args.start_year,
        comparator=args.comparator,
        data_dir=args.data_dir,
        out_dir=args.out,
        groups_file=args.groups_file,
    )
    print(f"Report written to {path}")
    return 0


def _check_partnership(args: argparse.Namespace) -> None:
    """Resolve the names here, so an unknown one is one clear line (not a notebook error)."""
    from benchmarks import panel
    from benchmarks.geography import resolver
    from benchmarks.packs.selection import group_members

    bundle = panel.load(args.data_dir)
    if args.group:
        codes = group_members(bundle, args.group, args.groups_file)
    else:
        resolve = resolver(bundle.authorities)
        codes = tuple(resolve(q) for q in args.partners)
    if args.focus and resolver(bundle.authorities)(args.focus) not in codes:
        raise BenchmarksError(f"the focus {args.focus!r} is not one of the partners")


def _explore(args: argparse.Namespace) -> int:
    from benchmarks import render

    path = render.render_explore(args.la, data_dir=args.data_dir, out_dir=args.out)
    print(f"Exploration written to {path}")
    return 0


def _lab(args: argparse.Namespace) -> int:
    from benchmarks import lab

    extra = [o for o in args.jupyter_options if o != "--"]
    options = {"data_dir": args.data_dir, "browser": not args.no_browser, "extra": extra}
    if args.dry_run:
        command, env = lab.lab_command(**options)
        print(" ".join(command))
        print(f"BENCHMARKS_DATA={env.get('BENCHMARKS_DATA', '')}")
        return 0
    return lab.run_lab(**options)


COMMANDS = {
    "fetch": _fetch,
    "demo-data": _demo,
    "export": _export,
    "report": _report,
    "partnership": _partnership,
    "explore": _explore,
    "lab": _lab,
}


def run() -> NoReturn:
    """The `benchmarks` command: `main()`, then exit. `gc.freeze()` first spares the
    interpreter's last garbage collections over every imported module's objects (~0.15 s
    of a one-report run); objects are still freed and atexit handlers still run."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
