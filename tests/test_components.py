"""The shared HTML components, on hand-written data."""

from __future__ import annotations

from benchmarks import components
from benchmarks.components import DataTable, Html


def test_a_data_table_escapes_every_cell_and_writes_a_pair_on_two_lines() -> None:
    table = DataTable(
        caption="Data for: <i>x</i>",
        headers=("Authority", "Value"),
        rows=(("<b>Bad & Co</b>", ("12.0", "c: suppressed")), ("O'Neil \"Town\"", "3")),
    )
    html = components.render("components/table.html.j2", "data_table", table)
    assert html == (
        '<table class="bm-data"><caption>Data for: &lt;i&gt;x&lt;/i&gt;</caption>'
        '<thead><tr><th scope="col">Authority</th><th scope="col">Value</th></tr></thead>'
        "<tbody>"
        "<tr><td>&lt;b&gt;Bad &amp; Co&lt;/b&gt;</td>"
        '<td>12.0<br><span class="bm-meta">c: suppressed</span></td></tr>'
        "<tr><td>O&#x27;Neil &quot;Town&quot;</td><td>3</td></tr>"
        "</tbody></table>"
    )


def test_blocks_joined_keep_their_order_and_every_block_s_metadata() -> None:
    header = Html("<h1>A</h1>", {"benchmarks": {"la_code": "383"}})
    joined = Html.joined([header, Html("<p>b</p>"), Html("<p>c</p>", {"other": 1})])
    assert joined._repr_mimebundle_() == (
        {"text/html": "<h1>A</h1><p>b</p><p>c</p>"},
        {"benchmarks": {"la_code": "383"}, "other": 1},
    )
    assert header.metadata == {"benchmarks": {"la_code": "383"}}  # the blocks are unchanged
