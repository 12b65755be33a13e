import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROLES
from tests.factories import NoticeFactory, municipality
from tsunagu.notices.models import NoticeKind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_anyone_can_search_and_sees_the_terms_marked(client_as, role):
    NoticeFactory(title="子ども食堂運営支援業務", description="地域の子どもの居場所づくり")
    NoticeFactory(title="庁舎清掃業務")
    page = client_as(role).get(reverse("notices:list"), {"q": "子供"}).content.decode()
    assert "<mark>子ども</mark>食堂運営支援業務" in page and "庁舎清掃業務" not in page
    assert "1 件" in page


def test_filters_and_sorting_live_in_the_url():
    from django.test import Client

    NoticeFactory(title="観光PR業務", kind=NoticeKind.PROPOSAL, municipality=municipality("011002"))
    NoticeFactory(title="観光案内所運営", kind=NoticeKind.DESIGNATED_MANAGER, municipality=municipality("131016"))
    page = Client().get(reverse("notices:list"), {"q": "観光", "prefecture": "13", "sort": "deadline"}).content.decode()
    assert "<mark>観光</mark>案内所運営" in page and "PR業務" not in page
    page = Client().get(reverse("notices:list"), {"q": "観光", "kind": "proposal"}).content.decode()
    assert "<mark>観光</mark>PR業務" in page and "案内所運営" not in page


def test_a_search_without_results_says_what_to_try(client):
    NoticeFactory(title="庁舎清掃業務")
    page = client.get(reverse("notices:list"), {"q": "宇宙"}).content.decode()
    assert "条件に合う公募はありません" in page and "語を減らす" in page


def test_words_made_of_symbols_are_said_back(client):
    NoticeFactory(title="福祉計画")
    page = client.get(reverse("notices:list"), {"q": "・・ 福祉"}).content.decode()
    assert "記号だけの語は無視しました：・・" in page and "<mark>福祉</mark>計画" in page


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=300))
def test_any_query_string_gives_a_page_never_an_error(client, raw):
    response = client.get(reverse("notices:list"), {"q": raw.replace("\x00", ""), "sort": "relevance"})
    assert response.status_code == 200


def test_an_unknown_filter_value_is_ignored_with_the_form_not_a_500(client):
    assert client.get(reverse("notices:list"), {"kind": "nonsense", "prefecture": "99", "page": "x"}).status_code == 200
