"""Report kinds: each a pure function from data to a section model (`reports.model`),
rendered by the shared components (`reports.html`).

* `reports.authority`: one authority's report (`choose`, `build`);
* `reports.page.authority_page`: what the authority notebook calls (loads the data);
* `reports.partnership`: a partnership's report (`choose`, `build`);
* `reports.partnership_page.partnership_page`: what the partnership notebook calls.
"""

from __future__ import annotations

from benchmarks.reports.page import Page, authority_page
from benchmarks.reports.partnership_page import PartnershipPage, partnership_page

__all__ = ["Page", "PartnershipPage", "authority_page", "partnership_page"]
