"""Report kinds: each a pure function from data to a section model (`reports.model`),
rendered by the shared components (`reports.html`).

* `reports.authority`: one authority's report (`choose`, `build`);
* `reports.page.authority_page`: what the authority notebook calls (loads the data).
"""

from __future__ import annotations

from benchmarks.reports.page import Page, authority_page

__all__ = ["Page", "authority_page"]
