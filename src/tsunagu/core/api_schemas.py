"""Pieces every API router shares (api/v1.py and the apps' routers): the error body, a strict date type, and Japanese
validation messages."""

import datetime
import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator


class Message(Schema):
    """What went wrong, in Japanese (400, 401, 403, 404, 429)."""

    detail: str


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic would also read a number as seconds since 1970, which nobody means here."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("日付は YYYY-MM-DD で書いてください")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]

# The largest id a row can have (SQLite's and PostgreSQL's 64-bit integers): a larger one is a 422, not a database error.
MAX_ROW_ID = 2**63 - 1

# The body of a 422: one entry per wrong value, `loc` says where (["query", "page"]), `msg` what, in Japanese.
VALIDATION_ERROR_SCHEMA = {
    "type": "object", "required": ["detail"],
    "properties": {"detail": {"type": "array", "items": {"type": "object", "properties": {
        "type": {"type": "string"}, "loc": {"type": "array", "items": {}}, "msg": {"type": "string"}}}}},
}


def _japanese(error: dict) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    if kind in {"literal_error", "enum"}:
        return f"次のどれかにしてください: {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return "書式が正しくありません"
    if kind == "string_too_long":
        return f"{ctx.get('max_length')}文字以内にしてください"
    if kind == "string_too_short":
        return f"{ctx.get('min_length')}文字以上にしてください"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"{ctx.get('ge', ctx.get('gt'))}{'以上' if kind == 'greater_than_equal' else 'より大きく'}にしてください"
    if kind in {"less_than_equal", "less_than"}:
        return f"{ctx.get('le', ctx.get('lt'))}{'以下' if kind == 'less_than_equal' else '未満'}にしてください"
    if kind.startswith("int_"):
        return "整数で書いてください"
    if kind.startswith("bool_"):
        return "true か false で書いてください"
    if kind.startswith(("date_", "datetime_")):
        return "日付は YYYY-MM-DD で書いてください"
    if kind == "missing":
        return "必須です"
    return f"値が正しくありません（{kind}）"


def validation_errors_in_japanese(errors: list[dict]) -> list[dict]:
    return [{"type": e.get("type", ""), "loc": list(e.get("loc", [])), "msg": _japanese(e)} for e in errors]
