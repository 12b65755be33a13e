"""What of a notice is searchable, as texts (for the reference) and as tokens (for every index)."""

from tsunagu.core.choices import canonical_label
from tsunagu.notices.models import Notice, NoticeKind

from .analysis import field_runs, runs_tokens

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


def notice_runs(notice: Notice) -> tuple[list[str], list[str]]:
    """(the title's runs, the runs of the other fields one after another), normalised: what every index holds."""
    title, others = notice_fields(notice)
    return field_runs(title), [run for text in others for run in field_runs(text)]


def notice_tokens(notice: Notice) -> tuple[list[str], list[str]]:
    """The bigram tokens of the title and of the rest. Phrases can't bridge two runs (each ends in a one-character
    token), so neither two fields."""
    title, body = notice_runs(notice)
    return runs_tokens(title), runs_tokens(body)
