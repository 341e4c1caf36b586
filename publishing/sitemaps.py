"""The sitemap of the public pages: each publishing partnership's pages, live."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from publishing import content, selectors


class PublicPagesSitemap(Sitemap):
    """Every public page of every partnership whose public pages are on and published:
    the index, then each partnership's sections (latest version) and its versions."""

    def items(self) -> list[tuple[str, str, datetime | None]]:
        found: list[tuple[str, str, datetime | None]] = [(reverse("publishing:index"), "", None)]
        for partnership in selectors.published_partnerships():
            slug, when = partnership.slug, partnership.published_at
            for key, _, frozen in content.SECTIONS:
                name = key.replace("-", "_") if frozen else key
                found.append(
                    (reverse(f"publishing:{name}", args=[slug]), slug, when if frozen else None)
                )
            found.append((reverse("publishing:versions", args=[slug]), slug, when))
        # The ASB case review publications, which a partnership makes by the year
        # whether or not its other public pages are on.
        for slug, when in selectors.case_review_publications():
            found.append((reverse("public:case_reviews", args=[slug]), slug, when))
        return found

    def location(self, item: tuple[str, str, datetime | None]) -> str:
        return item[0]

    def lastmod(self, item: tuple[str, str, datetime | None]) -> datetime | None:
        return item[2]
