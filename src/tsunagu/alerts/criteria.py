"""A saved search's conditions: the search page's own query string, read by the search page's own form."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError
from tsunagu.search.analysis import Query, parse_query
from tsunagu.search.criteria import SearchFilters
from tsunagu.search.forms import SearchForm

NOT_SAVED = {"page"}  # where in the results a person was is not part of what they look for


@dataclass(frozen=True)
class Criteria:
    text: str
    filters: SearchFilters
    sort: str
    query: Query


def _form(query_string: str) -> SearchForm:
    return SearchForm(QueryDict(query_string))


def canonical_query_string(params) -> str:
    """The conditions of a search page URL (a QueryDict or a query string) in one spelling: the form's fields in
    order, empty ones and the page left out. Raises DomainError naming the first field it can't read."""
    form = _form(params if isinstance(params, str) else params.urlencode())
    if not form.is_valid():
        name = next(iter(form.errors))
        label = form.fields[name].label if name in form.fields else name
        raise DomainError(_("検索条件の「%(field)s」が読めません：%(error)s") % {"field": label, "error": form.errors[name][0]},
                          field="query_string")
    pairs = []
    for name in form.fields:
        value = form.cleaned_data.get(name)
        if name in NOT_SAVED or value in (None, "") or (name == "sort" and value == "relevance"):
            continue
        pairs.append((name, value.isoformat() if hasattr(value, "isoformat") else str(value).strip()))
    return urlencode(pairs)


class CriteriaReader:
    """Reads many stored query strings with one search form: building a form (its fields, the prefectures) costs
    more than cleaning one, and the matcher reads thousands. Same form, same cleaning, same filters."""

    def __init__(self) -> None:
        self._form = SearchForm(QueryDict(""))

    def read(self, query_string: str) -> Criteria:
        form = self._form
        form.data, form._errors = QueryDict(query_string), None  # rebinding: the next is_valid() cleans these
        form.is_valid()  # an unreadable field is left out of cleaned_data and ignored, as on the search page
        text = form.cleaned_data.get("q", "")
        sort = form.cleaned_data.get("sort") or "relevance"
        return Criteria(text=text, filters=form.filters(), sort=sort, query=parse_query(text))


def criteria_of(query_string: str) -> Criteria:
    """What a stored query string searches for (stored strings are canonical, so every field is valid)."""
    return CriteriaReader().read(query_string)


def describe(query_string: str) -> str:
    """The conditions in words, for lists and mails: 「観光」・公募型プロポーザル・東京都."""
    form = _form(query_string)
    form.is_valid()
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "") or name in NOT_SAVED or name == "sort":
            continue
        if name == "q":
            parts.append(f"「{value}」")
        elif hasattr(field, "choices"):
            parts.append(f"{field.label}：{dict(field.choices).get(value, value)}")
        else:
            parts.append(f"{field.label}：{value}")
    return "・".join(str(p) for p in parts) or _("すべての公募")
