import pytest

pytestmark = pytest.mark.django_db


def test_a_wrong_value_is_named_with_a_japanese_message(client):
    answer = client.get("/api/v1/notices", {"published_to": "0", "page": "x", "prefecture": "99"})
    assert answer.status_code == 422
    problems = {tuple(d["loc"]): d["msg"] for d in answer.json()["detail"]}
    assert problems[("query", "published_to")] == "日付は YYYY-MM-DD で書いてください"
    assert problems[("query", "page")] == "整数で書いてください"
    assert problems[("query", "prefecture")] == "書式が正しくありません"
