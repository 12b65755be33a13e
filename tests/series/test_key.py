"""One key function: the editions of a yearly call share `notice_series_key`, whatever year marker they carry."""

import pytest

from tsunagu.notices.identity import notice_series_key

BASE = "子育て支援アプリ運用業務委託"


@pytest.mark.parametrize("title", [
    "令和7年度 子育て支援アプリ運用業務委託",
    "令和６年度子育て支援アプリ運用業務委託",
    "R7年度 子育て支援アプリ運用業務委託",
    "Ｒ７年度子育て支援アプリ運用業務委託",
    "子育て支援アプリ運用業務委託(R7)",
    "子育て支援アプリ運用業務委託（令和７年度）",
    "子育て支援アプリ運用業務委託（2025）",
    "2025年度 子育て支援アプリ運用業務委託",
    "令和元年度 子育て支援アプリ運用業務委託",
    "令和七年度 子育て支援アプリ運用業務委託",
    "R7 子育て支援アプリ運用業務委託",
    "第2期 子育て支援アプリ運用業務委託",
    "子育て支援アプリ運用業務委託 第3回",
    "第二次子育て支援アプリ運用業務委託",
    "【中止】令和6年度 子育て支援アプリ運用業務委託",
])
def test_a_year_or_round_marker_does_not_change_the_series_key(title):
    assert notice_series_key(title) == BASE


def test_a_different_subject_keeps_a_different_key():
    assert notice_series_key("令和7年度 子育て支援アプリ運用業務委託") != notice_series_key("令和7年度 高齢者見守り業務委託")


def test_a_word_that_only_looks_like_an_era_stays():
    assert notice_series_key("HR7年 研修業務") == "hr7年 研修業務"
