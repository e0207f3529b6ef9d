"""Report kinds: each a pure function from data to a section model (`reports.model`),
rendered by the shared components (`reports.html`).

* `reports.authority`: one authority's report (`choose`, `build`);
* `reports.page.authority_page`: what the authority notebook calls (loads the data);
* `reports.partnership`: a partnership's report (`choose`, `build`);
* `reports.partnership_notebook.partnership_page`: what the partnership notebook calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.startup import lazy_exports

if TYPE_CHECKING:
    from benchmarks.reports.page import Page, authority_page
    from benchmarks.reports.partnership_notebook import PartnershipPage, partnership_page

#: Each name and its module, imported on first use: a kernel for one kind of report
#: does not import the others' libraries (the partnership charts' altair).
_HOMES = {
    "Page": "page",
    "authority_page": "page",
    "PartnershipPage": "partnership_notebook",
    "partnership_page": "partnership_notebook",
}


__getattr__ = lazy_exports(__name__, _HOMES)


__all__ = ["Page", "PartnershipPage", "authority_page", "partnership_page"]
