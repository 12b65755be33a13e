"""Saved searches in the JSON API: the signed-in person's own, with a personal token (Authorization: Bearer …)."""

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import Field, StrictBool

from tsunagu.core.errors import DomainError

from . import services
from .access import access_saved_search
from .models import Frequency, SavedSearch


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = services.api_token_user(token)
        if user is not None:
            request.user = user
        return user


router = Router(auth=TokenAuth(), tags=["saved searches"])


class SavedSearchIn(Schema):
    name: str = Field(..., min_length=1, max_length=100, description="名前")
    query: str = Field("", max_length=2000, description="検索ページと同じクエリ文字列（q=観光&prefecture=13 など）")
    frequency: Frequency = Field(Frequency.DAILY, description="instant, daily（毎朝7時）, weekly（月曜7時）")
    email_on: StrictBool = Field(True, description="メールで受け取る")  # true/false only: 0 or "no" is an error
    slack_webhook_url: str = Field("", max_length=500, description="Slack の Incoming Webhook URL（https、許可されたホストのみ）")
    paused: StrictBool = False


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str
    frequency: str
    email_on: bool
    slack_webhook_url: str
    paused: bool
    created_at: str
    search_url: str


class ErrorOut(Schema):
    detail: str
    field: str | None = None


def _out(search: SavedSearch) -> dict:
    return {"id": search.pk, "name": search.name, "query": search.query_string, "frequency": search.frequency,
            "email_on": search.email_on, "slack_webhook_url": search.slack_webhook_url, "paused": search.paused,
            "created_at": search.created_at.isoformat(),
            "search_url": "/notices/" + (f"?{search.query_string}" if search.query_string else "")}


def _own(request: HttpRequest, saved_search_id: int) -> SavedSearch:
    try:
        return access_saved_search(request.auth, saved_search_id)
    except Http404:
        raise HttpError(404, "その保存した検索はありません。") from None


@router.get("", response=list[SavedSearchOut], summary="保存した検索の一覧")
def saved_searches(request: HttpRequest) -> list[dict]:
    return [_out(s) for s in SavedSearch.objects.visible_to(request.auth).order_by("name", "pk")]


@router.post("", response={201: SavedSearchOut, 400: ErrorOut}, summary="検索を保存する")
def saved_search_create(request: HttpRequest, data: SavedSearchIn):
    try:
        search = services.saved_search_create(user=request.auth, name=data.name, query_string=data.query,
                                              frequency=data.frequency, email_on=data.email_on,
                                              slack_webhook_url=data.slack_webhook_url, paused=data.paused)
    except DomainError as exc:
        return Status(400, {"detail": exc.message, "field": exc.field})
    return Status(201, _out(search))


@router.get("/{saved_search_id}", response={200: SavedSearchOut, 404: ErrorOut}, summary="保存した検索")
def saved_search_detail(request: HttpRequest, saved_search_id: int):
    return Status(200, _out(_own(request, saved_search_id)))


@router.put("/{saved_search_id}", response={200: SavedSearchOut, 400: ErrorOut, 404: ErrorOut}, summary="保存した検索を変える")
def saved_search_update(request: HttpRequest, saved_search_id: int, data: SavedSearchIn):
    search = _own(request, saved_search_id)
    try:
        services.saved_search_update(saved_search=search, name=data.name, query_string=data.query, frequency=data.frequency,
                                     email_on=data.email_on, slack_webhook_url=data.slack_webhook_url, paused=data.paused)
    except DomainError as exc:
        return Status(400, {"detail": exc.message, "field": exc.field})
    return Status(200, _out(search))


@router.delete("/{saved_search_id}", response={204: None, 404: ErrorOut}, summary="保存した検索を削除する")
def saved_search_delete(request: HttpRequest, saved_search_id: int):
    services.saved_search_delete(saved_search=_own(request, saved_search_id))
    return Status(204, None)
