"""The partnership report's section model on demonstration data, its charts' specs, and
hostile names from a user's groups file (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.comparison import comparison_for
from benchmarks.errors import BenchmarksError, UnknownAuthorityError
from benchmarks.panel import load
from benchmarks.reports import partnership
from benchmarks.reports.partnership_notebook import partnership_html, partnership_page

WEST_YORKSHIRE = ("380", "381", "382", "383", "384")  # Bradford .. Wakefield (DfE codes)


@pytest.fixture(scope="module")
def data(demo_dir: Path):
    bundle = load(demo_dir)
    return bundle, comparison_for(bundle, "sn2025", None)


def test_partners_split_on_commas_and_drop_blanks() -> None:
    assert partnership.split_partners("Leeds, Kirklees,,Calderdale ") == [
        "Leeds",
        "Kirklees",
        "Calderdale",
    ]
    assert partnership.split_partners(["Leeds", "Kirklees, 380"]) == ["Leeds", "Kirklees", "380"]


def test_a_group_name_gives_its_members_in_the_files_order(data) -> None:
    bundle, table = data
    choice = partnership.choose(bundle, table, "west yorkshire", focus="Bradford")
    assert choice.group == "West Yorkshire"
    assert choice.codes == WEST_YORKSHIRE
    assert choice.names == ("Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield")
    assert (choice.focus_code, choice.focus_name) == ("380", "Bradford")
    assert choice.slug_name == "West Yorkshire focus Bradford"


def test_names_and_codes_resolve_and_the_label_lists_them(data) -> None:
    bundle, table = data
    choice = partnership.choose(bundle, table, ["Leeds", "382", "Calderdale"], start_year=2017)
    assert choice.codes == ("383", "382", "381")
    assert choice.label == "Leeds, Kirklees, and Calderdale"
    assert choice.start_year == 2017 and choice.focus_code is None


def test_a_focus_outside_the_partners_is_an_error(data) -> None:
    bundle, table = data
    with pytest.raises(BenchmarksError, match="not one of the partners"):
        partnership.choose(bundle, table, "Leeds, Kirklees", focus="Bradford")


def test_cafcass_is_a_national_body_and_typos_get_close_matches(data) -> None:
    bundle, table = data
    with pytest.raises(UnknownAuthorityError, match="a national body with no local authority data"):
        partnership.choose(bundle, table, "Leeds, Cafcass")
    with pytest.raises(UnknownAuthorityError, match="Did you mean: Kirklees"):
        partnership.choose(bundle, table, "Leeds, Kirklee")


def test_every_section_is_built_for_west_yorkshire(data) -> None:
    bundle, table = data
    choice = partnership.choose(bundle, table, "West Yorkshire", focus="Bradford", start_year=2019)
    report = partnership.build(bundle, table, choice)
    assert report.header.info["kind"] == "partnership"
    assert report.header.info["partners"] == list(WEST_YORKSHIRE)
    rug = report.side_by_side.rug
    assert [name for name, _ in rug.rows] == list(choice.names)
    assert all(len(cells) == len(rug.headers) - 1 for _, cells in rug.rows)
    assert any(c.band in ("A", "B", "C", "D") for _, cells in rug.rows for c in cells)
    assert len(report.side_by_side.grades) + len(report.side_by_side.ungraded) == 5
    assert len(report.trajectories.figures) == 1
    assert len(report.trajectories.paragraphs) == len(report.side_by_side.grades)
    assert [b.title for b in report.aligned.blocks] == list(choice.names)
    assert any("Partnership began (2019)" in b.text for b in report.aligned.blocks)
    assert report.improvers.figures
    assert [h for h, _ in report.finder.method][:3] == [
        "How partners are found.",
        "Features:",
        "Years:",
    ]
    assert len(report.finder.reasons) == (
        0 if report.finder.suggestions is None else len(report.finder.suggestions.rows)
    )


def test_without_a_focus_the_finder_says_to_name_one(data) -> None:
    bundle, table = data
    choice = partnership.choose(bundle, table, "West Yorkshire")
    report = partnership.build(bundle, table, choice)
    assert report.finder.suggestions is None
    assert report.finder.text.startswith("Name a focus authority")


def test_rug_cells_carry_a_band_letter_as_well_as_a_colour(data) -> None:
    bundle, table = data
    report = partnership.build(bundle, table, partnership.choose(bundle, table, "West Yorkshire"))
    html = str(partnership_html(report)[1])
    cell = next(c for _, cells in report.side_by_side.rug.rows for c in cells if c.band == "A")
    assert f'<span class="bm-rug-band">{cell.band}</span>' in html
    assert "bm-rug-a" in html


def test_hostile_group_names_are_escaped(demo_dir: Path, tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> & <b>Co</b>'
    groups = tmp_path / "groups.toml"
    groups.write_text(
        "[groups.'" + hostile + '\']\nmembers = ["Leeds", "Kirklees"]\n', encoding="utf-8"
    )
    bundle = load(demo_dir)
    table = comparison_for(bundle, "sn2025", groups)
    choice = partnership.choose(bundle, table, hostile, groups_file=groups)
    assert choice.group == hostile
    html = "".join(str(h) for h in partnership_html(partnership.build(bundle, table, choice)))
    assert "<script>alert" not in html and "<b>Co</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in html


def test_the_page_displays_as_every_section_in_order_and_as_text_only_its_choice(
    demo_dir: Path,
) -> None:
    page = partnership_page("Leeds, Kirklees", focus="Kirklees", data_dir=demo_dir)
    mimebundle, metadata = page._repr_mimebundle_()
    html = mimebundle["text/html"]
    # the sections' own anchors, in reading order, after the title
    anchors = ["side-by-side", "trajectories", "aligned", "improvers", "finder", "notes"]
    at = [html.index(f'<h2 id="{anchor}">') for anchor in anchors]
    assert at == sorted(at) and html.index("Leeds and Kirklees") < at[0]
    assert metadata["benchmarks"]["kind"] == "partnership"
    assert repr(page).startswith("PartnershipPage(PartnershipChoice(label='Leeds and Kirklees'")
    assert len(repr(page)) < 1000
