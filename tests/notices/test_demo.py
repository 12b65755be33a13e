import datetime
import re
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.core.codes import normalize_corporate_number
from tsunagu.core.text import organisation_name_key
from tsunagu.municipalities.models import Municipality, Prefecture
from tsunagu.notices.demo import DemoDataExists, demo_delete, demo_generate
from tsunagu.notices.identity import notice_fingerprint, notice_title_key
from tsunagu.notices.models import Award, Notice, NoticeKind, Organisation

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
TENDERS = {NoticeKind.OPEN_TENDER, NoticeKind.SELECTIVE_TENDER}
PROPOSALS = {NoticeKind.PROPOSAL, NoticeKind.PLANNING_COMPETITION}


@pytest.fixture(autouse=True)
def municipalities(db):
    """The master from the data migration; where it hasn't landed, a few bodies of every level."""
    if Municipality.objects.count() == 0:
        hokkaido = Prefecture.objects.create(
            code="01",
            lg_code="010006",
            name="北海道",
            short_name="北海道",
            kana="ほっかいどう",
            name_en="Hokkaido",
        )
        tokyo = Prefecture.objects.create(
            code="13",
            lg_code="130001",
            name="東京都",
            short_name="東京",
            kana="とうきょうと",
            name_en="Tokyo",
        )
        rows = [
            ("010006", hokkaido, "北海道", "prefecture"), ("011002", hokkaido, "札幌市", "designated_city"),
            ("012025", hokkaido, "函館市", "city"), ("013030", hokkaido, "当別町", "town"),
            ("016101", hokkaido, "占冠村", "village"), ("130001", tokyo, "東京都", "prefecture"),
            ("131016", tokyo, "千代田区", "special_ward"), ("132012", tokyo, "八王子市", "city"),
        ]  # fmt: skip
        Municipality.objects.bulk_create(
            Municipality(lg_code=code, prefecture=pref, name=name, level=level) for code, pref, name, level in rows
        )
    return Municipality.objects.all()


def generate(n: int = 300, seed: int = 1, **kwargs):
    return demo_generate(notices=n, seed=seed, today=TODAY, **kwargs)


def snapshot() -> list[tuple]:
    notices = [
        (n.municipality.lg_code, n.title, n.published_on, n.enquiry_deadline, n.application_deadline,
         n.submission_deadline, n.budget_yen, n.budget_text, n.external_id, n.kind)
        for n in Notice.objects.filter(is_demo=True).select_related("municipality").order_by("id")
    ]  # fmt: skip
    awards = [
        (a.notice.title, a.winner.name, a.amount_yen, a.awarded_on)
        for a in Award.objects.filter(is_demo=True).select_related("notice", "winner").order_by("id")
    ]
    return notices + awards


def real_notice(**fields) -> Notice:
    municipality = Municipality.objects.order_by("lg_code").first()
    title = fields.pop("title", "本物の公募（取り込み済み）")
    published_on = datetime.date(2026, 4, 1)
    return Notice.objects.create(
        municipality=municipality, title=title, title_key=notice_title_key(title), published_on=published_on,
        kind=NoticeKind.PROPOSAL, source="import:real.csv",
        fingerprint=notice_fingerprint(lg_code=municipality.lg_code, title=title, published_on=published_on),
        **fields,
    )  # fmt: skip


def test_generating_creates_exactly_the_requested_number_of_demo_notices():
    result = generate(257, batch_size=100)
    assert result.notices == Notice.objects.count() == 257
    assert not Notice.objects.exclude(is_demo=True, source="demo").exists()
    assert result.awards == Award.objects.count() > 0
    assert not Award.objects.exclude(is_demo=True, source="demo").exists()
    assert result.organisations == Organisation.objects.count() > 0
    assert not Organisation.objects.exclude(is_demo=True, source="demo").exists()


def test_the_same_seed_and_day_give_the_same_data():
    generate(seed=7)
    first = snapshot()
    demo_delete()
    generate(seed=7)
    assert snapshot() == first


def test_the_batch_size_does_not_change_the_data():
    generate(seed=3, batch_size=7)
    small_batches = snapshot()
    demo_delete()
    generate(seed=3, batch_size=5000)
    assert snapshot() == small_batches


def test_building_the_rows_in_a_child_process_gives_the_same_data():
    generate(seed=4, batch_size=40, parallel=False)
    inline = snapshot()
    demo_delete()
    generate(seed=4, batch_size=40, parallel=True)
    assert snapshot() == inline


def test_a_different_seed_gives_different_data():
    generate(seed=1)
    first = snapshot()
    demo_delete()
    generate(seed=2)
    assert snapshot() != first


def test_every_fingerprint_and_title_key_comes_from_the_identity_functions():
    generate()
    for notice in Notice.objects.select_related("municipality"):
        assert notice.fingerprint == notice_fingerprint(
            lg_code=notice.municipality.lg_code, title=notice.title, published_on=notice.published_on
        )
        assert notice.title_key == notice_title_key(notice.title)


def test_deadlines_come_after_publication_in_order():
    generate(1000)
    for notice in Notice.objects.all():
        dates = [notice.published_on] + [
            d for d in (notice.enquiry_deadline, notice.application_deadline, notice.submission_deadline) if d
        ]
        assert dates == sorted(dates) and len(set(dates)) == len(dates), notice.title
        assert notice.last_deadline is not None
        assert all(d.weekday() < 5 for d in dates[1:]), "deadlines fall on weekdays"


def test_every_kind_appears_in_two_thousand_notices_with_tenders_the_most_common():
    generate(2000)
    counts = Counter(Notice.objects.values_list("kind", flat=True))
    assert set(counts) == set(NoticeKind.values)
    assert counts.most_common(1)[0][0] == NoticeKind.OPEN_TENDER
    assert counts[NoticeKind.PROPOSAL] > counts[NoticeKind.DESIGNATED_MANAGER]


def test_awards_are_only_on_passed_notices_and_decided_after_the_deadline():
    generate(1000)
    awards = Award.objects.select_related("notice")
    assert awards.exists()
    for award in awards:
        notice = award.notice
        assert not notice.cancelled
        assert notice.last_deadline < TODAY
        assert notice.last_deadline < award.awarded_on <= TODAY


def test_about_sixty_percent_of_passed_notices_have_a_result():
    generate(2000)
    passed = [n for n in Notice.objects.all() if n.last_deadline < TODAY and not n.cancelled]
    with_result = set(Award.objects.values_list("notice_id", flat=True))
    share = sum(n.pk in with_result for n in passed) / len(passed)
    assert 0.45 < share < 0.7


def test_grants_and_collaboration_results_have_no_estimated_value():
    generate(2000)
    selections = Award.objects.filter(notice__kind__in=[NoticeKind.GRANT, NoticeKind.COLLABORATION])
    assert selections.exists()
    assert not selections.exclude(estimated_value_yen=None).exists()


def test_tender_award_ratios_are_mostly_between_eighty_and_ninety_nine_percent():
    generate(2000)
    ratios = [a.award_ratio for a in Award.objects.filter(notice__kind__in=TENDERS) if a.award_ratio is not None]
    assert len(ratios) > 100
    typical = sum(0.80 <= r <= 0.99 for r in ratios) / len(ratios)
    assert typical > 0.7
    assert all(0.5 < r <= 1 for r in ratios)


def test_proposal_prices_stay_within_the_ceiling_and_are_scored():
    generate(2000)
    awards = list(Award.objects.filter(notice__kind__in=PROPOSALS).select_related("notice"))
    assert awards
    for award in awards:
        assert award.score is not None
        if award.estimated_value_yen is not None and award.amount_tax_basis == award.estimated_value_tax_basis:
            assert award.amount_yen <= award.estimated_value_yen == award.notice.budget_yen


def test_the_tax_basis_of_price_and_estimate_is_mostly_the_same_but_not_always():
    generate(2000)
    pairs = Award.objects.exclude(estimated_value_yen=None).values_list("amount_tax_basis", "estimated_value_tax_basis")
    same = sum(a == b for a, b in pairs)
    assert 0.85 < same / len(pairs) < 1


def test_some_organisations_win_again_and_again():
    generate(2000)
    wins = Counter(Award.objects.values_list("winner_id", flat=True))
    assert wins.most_common(1)[0][1] >= 10
    assert len(wins) > 50


def test_corporate_numbers_pass_the_check_digit_and_sole_proprietors_have_none():
    generate(1000)
    numbers = list(Organisation.objects.exclude(corporate_number=None).values_list("corporate_number", flat=True))
    assert numbers
    assert all(normalize_corporate_number(n) == n for n in numbers)
    assert Organisation.objects.filter(corporate_number=None, name__endswith="事務所").exists()


def test_organisation_names_are_keyed_like_imported_ones():
    generate()
    for organisation in Organisation.objects.all():
        assert organisation.normalized_name == organisation_name_key(organisation.name)


def test_yearly_calls_repeat_the_title_with_another_fiscal_year():
    generate(2000)
    series = defaultdict(set)
    for municipality_id, title, published_on in Notice.objects.values_list("municipality_id", "title", "published_on"):
        if "年度" in title:
            series[(municipality_id, re.sub(r"令和(元|\d+)年度", "", title))].add(published_on.year)
    assert max(len(years) for years in series.values()) >= 3


def test_bigger_bodies_publish_more_than_villages():
    generate(2000)
    per_body = Counter(Notice.objects.values_list("municipality__level", flat=True))
    bodies = Counter(Municipality.objects.values_list("level", flat=True))
    assert per_body["prefecture"] / bodies["prefecture"] > per_body["village"] / max(bodies["village"], 1)


def test_august_is_a_quiet_month_and_april_to_june_are_busy():
    generate(2000)
    months = Counter(d.month for d in Notice.objects.values_list("published_on", flat=True))
    assert months[8] < months[5] / 2
    assert months[4] + months[5] + months[6] > months[7] + months[8] + months[9]


def test_budget_texts_keep_the_original_style():
    generate(2000)
    texts = set(Notice.objects.exclude(budget_text="").values_list("budget_text", flat=True))
    assert any(re.fullmatch(r"[\d,]+万円（税込）以内", t) for t in texts)
    assert any("（消費税及び地方消費税を含む）" in t for t in texts)
    for notice in Notice.objects.exclude(budget_yen=None):
        assert f"{notice.budget_yen:,}円" in notice.budget_text or "万円" in notice.budget_text or "億" in notice.budget_text


def test_about_seventy_percent_have_an_external_id_and_one_percent_are_cancelled():
    generate(2000)
    with_id = Notice.objects.exclude(external_id="").count() / 2000
    assert 0.65 < with_id < 0.75
    assert all(re.fullmatch(r"[RH]\d+-\w{2}-\d{4}", e) for e in Notice.objects.exclude(external_id="")
               .values_list("external_id", flat=True))  # fmt: skip
    assert 0 < Notice.objects.filter(cancelled=True).count() < 60


def test_generating_refuses_while_demo_data_exists():
    generate(20)
    with pytest.raises(DemoDataExists):
        generate(20)


def test_delete_removes_only_demo_rows():
    real = real_notice()
    generate(50)
    assert demo_delete() == 50
    assert list(Notice.objects.all()) == [real]
    assert not Organisation.objects.filter(is_demo=True).exists()


def test_the_command_prints_a_japanese_summary():
    out = StringIO()
    call_command("generate_demo", notices=40, seed=1, today=TODAY, stdout=out)
    assert re.fullmatch(r"公募 40件、落札結果 \d+件、事業者 \d+件を作成しました（\d+\.\d秒）。\n", out.getvalue())


def test_the_command_reports_progress_on_stderr_with_verbosity_two():
    err = StringIO()
    call_command("generate_demo", notices=30, seed=1, batch_size=10, verbosity=2, stdout=StringIO(), stderr=err)
    assert "30 / 30 件" in err.getvalue()


def test_if_empty_does_nothing_when_any_notice_exists():
    real_notice()
    call_command("generate_demo", notices=40, seed=1, if_empty=True, stdout=StringIO())
    assert Notice.objects.count() == 1
    assert not Organisation.objects.exists()


def test_if_empty_generates_into_an_empty_database():
    call_command("generate_demo", notices=40, seed=1, if_empty=True, stdout=StringIO())
    assert Notice.objects.filter(is_demo=True).count() == 40


def test_the_command_refuses_without_replace_when_demo_data_exists():
    call_command("generate_demo", notices=20, seed=1, stdout=StringIO())
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_demo", notices=20, seed=2, stdout=StringIO())
    assert Notice.objects.count() == 20


def test_replace_regenerates_the_demo_data_and_keeps_real_notices():
    real = real_notice(external_id="R8-企画-0001")
    winner = Organisation.objects.create(name="株式会社本物", normalized_name=organisation_name_key("株式会社本物"))
    Award.objects.create(notice=real, winner=winner, amount_yen=1_000_000)
    call_command("generate_demo", notices=60, seed=1, stdout=StringIO())
    call_command("generate_demo", notices=80, seed=2, replace=True, stdout=StringIO())
    assert Notice.objects.filter(is_demo=True).count() == 80
    assert Notice.objects.filter(pk=real.pk, is_demo=False).exists()
    assert Award.objects.filter(notice=real, winner=winner).exists()
    assert Organisation.objects.filter(pk=winner.pk).exists()


def test_the_command_rejects_a_malformed_today():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("generate_demo", "--today", "2026/11/28", "--notices", "1", stdout=StringIO())
