"""The JSON shape of search results, shared by the API and `tsunagu search`."""

from typing import Any

from django.urls import reverse

from tsunagu.core.choices import TaxBasis, canonical_label
from tsunagu.notices.models import Notice, NoticeKind, NoticeStatus


def notice_result(notice: Notice, *, base_url: str = "") -> dict[str, Any]:
    municipality = notice.municipality
    return {
        "id": notice.pk,
        "external_id": notice.external_id,
        "lg_code": municipality.lg_code,
        "prefecture": municipality.prefecture.name,
        "municipality": municipality.name,
        "title": notice.title,
        "kind": canonical_label(NoticeKind(notice.kind)),
        "status": canonical_label(NoticeStatus(notice.status)),
        "published_on": notice.published_on.isoformat(),
        "application_deadline": notice.application_deadline.isoformat() if notice.application_deadline else None,
        "submission_deadline": notice.submission_deadline.isoformat() if notice.submission_deadline else None,
        "budget_yen": notice.budget_yen,
        "tax_basis": None if notice.budget_tax_basis == TaxBasis.UNKNOWN else canonical_label(TaxBasis(notice.budget_tax_basis)),
        "npo_eligible": notice.npo_eligible,
        "url": base_url + reverse("notices:detail", args=[notice.pk]),
        "source_url": notice.source_url,
    }


def search_response(result, *, page: int, page_size: int, base_url: str = "") -> dict[str, Any]:
    """One page of a `notice_search` result with its count and facets (the page is read while the facets count)."""
    shown = slice((page - 1) * page_size, page * page_size)
    facets = result.facets(page=shown)
    return {
        "count": result.notices.count(),
        "page": page,
        "page_size": page_size,
        "results": [notice_result(n, base_url=base_url) for n in result.notices[shown]],
        "facets": facets,
    }
