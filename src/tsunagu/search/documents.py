"""What of a notice is searchable, as texts (for the reference) and as tokens (for every index)."""

from tsunagu.core.choices import canonical_label
from tsunagu.notices.models import Notice, NoticeKind

from .analysis import field_tokens

TITLE_WEIGHT = 10.0  # BM25 weight of the title against the rest


def notice_fields(notice: Notice) -> tuple[str, list[str]]:
    """(title, the other searchable fields): description, department, municipality and prefecture names,
    categories and the kind's label."""
    municipality = notice.municipality
    return notice.title, [
        notice.description,
        notice.department,
        municipality.full_name,
        " ".join(notice.categories or []),
        canonical_label(NoticeKind(notice.kind)),
    ]


def notice_field_texts(notice: Notice) -> list[str]:
    """Every searchable field as one list, the title first: what the reference matcher reads."""
    title, others = notice_fields(notice)
    return [title, *others]


def notice_tokens(notice: Notice) -> tuple[list[str], list[str]]:
    title, others = notice_fields(notice)
    body: list[str] = []
    for text in others:
        body.extend(field_tokens(text))  # each field ends in a one-character token: phrases can't bridge fields
    return field_tokens(title), body
