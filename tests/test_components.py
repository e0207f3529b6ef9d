"""The shared HTML components, on hand-written data."""

from __future__ import annotations

from benchmarks import components
from benchmarks.components import DataTable


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
