import datetime
import re

import pytest
from django.urls import reverse

from tsunagu.notices.demo import demo_delete, demo_generate
from tsunagu.insights.facts import facts_check
from tsunagu.insights.models import AwardFact, CategoryFact, NoticeFact

pytestmark = pytest.mark.django_db


def test_on_demo_data_a_searcher_sees_budget_and_ratio_distributions_and_the_top_winners_for_kanko_promotion(client):
    demo_generate(notices=3000, seed=1, today=datetime.date(2026, 11, 28))
    assert facts_check() == []
    response = client.get(reverse("insights:analytics"), {"q": "観光プロモーション"})
    analytics = response.context["analytics"]
    assert analytics.notices > 10 and analytics.budget.counted > 0 and analytics.ratio.counted > 0
    assert analytics.top_winners and analytics.ratio.median is not None
    html = response.content.decode()
    assert "上限額の分布" in html and "落札率の分布" in html and "落札者の上位" in html
    winner = analytics.top_winners[0].organisation
    assert re.search(rf'href="{reverse("insights:organisation", args=[winner.pk])}">{re.escape(winner.name)}</a>', html)
    demo_delete()
    assert not (NoticeFact.objects.exists() or AwardFact.objects.exists() or CategoryFact.objects.exists())
