from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.search.analysis import parse_query
from tsunagu.search.highlight import highlight


def test_terms_are_marked_across_widths_and_case():
    assert highlight("ＩＣＴを活用した福祉計画", parse_query("ict 福祉")) == "<mark>ＩＣＴ</mark>を活用した<mark>福祉</mark>計画"


def test_excluded_terms_are_not_marked_and_html_is_escaped():
    assert highlight("<b>福祉</b>と入札", parse_query("福祉 -入札")) == "&lt;b&gt;<mark>福祉</mark>&lt;/b&gt;と入札"


def test_a_snippet_is_cut_around_the_first_hit():
    text = "あ" * 100 + "観光" + "い" * 100
    snippet = highlight(text, parse_query("観光"), around=30)
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>観光</mark>" in snippet


@given(text=st.text(max_size=80), raw=st.text(max_size=20))
def test_highlighting_never_fails_and_never_lets_markup_through(text, raw):
    out = highlight(text, parse_query(raw), around=40)
    assert "<script" not in out.replace("<mark>", "").replace("</mark>", "")


def test_marks_land_on_the_original_characters_when_one_folds_into_several():
    # ㍻ folds to 平成 and ﬁ to fi: the positions after them still point at the right originals
    assert highlight("㍻の観光", parse_query("観光")) == "㍻の<mark>観光</mark>"
    assert highlight("ﬁle 福祉", parse_query("fi 福祉")) == "<mark>ﬁ</mark>le <mark>福祉</mark>"
    assert highlight("平成の㍻", parse_query("平成")) == "<mark>平成</mark>の<mark>㍻</mark>"


@given(text=st.text(max_size=80), raw=st.text(max_size=20))
def test_marking_only_adds_marks_to_the_escaped_text(text, raw):
    assert highlight(text, parse_query(raw)).replace("<mark>", "").replace("</mark>", "") == escape(text)
