"""Japanese first, English second: the message ids are Japanese, English comes from locale/en.

After adding or changing a translatable string:
    cd src/tsunagu && ../../.venv/bin/tsunagu makemessages -l en --ignore 'migrations/*' --no-obsolete
    (translate the new entries in locale/en/LC_MESSAGES/django.po)
    ../../.venv/bin/tsunagu compilemessages
and commit both django.po and django.mo (a machine without gettext still shows English).
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from tests.factories import NoticeFactory
from tsunagu.core.codes import normalize_corporate_number, normalize_lg_code
from tsunagu.core.dates import parse_date
from tsunagu.core.errors import DomainError
from tsunagu.core.spreadsheets import open_table

PACKAGE = Path(settings.LOCALE_PATHS[0]).parent
PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(autouse=True)
def _restore_the_language():
    """LocaleMiddleware activates the request's language and leaves it active: don't leak English to other tests."""
    language = translation.get_language()
    yield
    translation.activate(language)


# --- rendering ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_home_page_is_in_japanese_by_default(client):
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="ja">' in page
    assert "公募を探す" in page and "公募の一覧を見る" in page
    assert "Find calls" not in page


@pytest.mark.django_db
def test_the_notice_list_is_in_japanese_by_default(client):
    NoticeFactory(budget_yen=5_000_000)
    page = client.get(reverse("notices:list")).content.decode()
    assert '<html lang="ja">' in page
    assert "<h1>公募を探す</h1>" in page and "1 件" in page and "5,000,000円" in page


@pytest.mark.django_db
def test_the_language_cookie_switches_the_home_page_and_the_notice_list_to_english(client):
    NoticeFactory(budget_yen=5_000_000)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in home
    assert "Find calls" in home and "Browse calls" in home and "公募を探す" not in home
    listing = client.get(reverse("notices:list")).content.decode()
    assert '<html lang="en">' in listing
    assert "<h1>Find calls</h1>" in listing and "1 call<" in listing and "¥5,000,000" in listing


@pytest.mark.django_db
def test_accept_language_en_selects_english_when_there_is_no_cookie(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in page and "Find calls" in page


@pytest.mark.django_db
def test_the_footer_switcher_posts_to_set_language_and_the_next_page_is_in_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("notices:list")})
    assert response.status_code == 302 and response.url == reverse("notices:list")
    page = client.get(response.url).content.decode()
    assert '<html lang="en">' in page and "<h1>Find calls</h1>" in page
    assert '<option value="ja" lang="ja">日本語</option>' in page  # each language in its own name


@pytest.mark.django_db
def test_the_english_count_of_calls_is_singular_for_one_and_plural_otherwise(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "0 calls<" in client.get(reverse("notices:list")).content.decode()
    NoticeFactory()
    assert "1 call<" in client.get(reverse("notices:list")).content.decode()
    NoticeFactory()
    assert "2 calls<" in client.get(reverse("notices:list")).content.decode()


@pytest.mark.django_db
def test_the_notice_detail_page_shows_dates_and_amounts_the_english_way(client):
    notice = NoticeFactory(budget_yen=5_000_000, categories=["観光", "IT"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "April 1, 2025 (FY2025)" in page and "¥5,000,000 (" in page and "観光, IT" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "2025年4月1日（2025年度）" in page and "5,000,000円（" in page and "観光、IT" in page


# --- messages raised by the import code ---------------------------------------------------------------------


def _message(call) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.message


def test_an_import_error_message_comes_out_in_english_with_its_placeholder_filled():
    with translation.override("en"):
        assert _message(lambda: normalize_lg_code("12a")) == 'The local government code "12a" must be 6 digits.'
        assert _message(lambda: normalize_lg_code("131017")) == (
            'The check digit of local government code "131017" is wrong (it should be 131016).'
        )
        assert _message(lambda: parse_date("2025年2月30日")) == '"2025年2月30日" is not a real date.'


def test_the_same_import_error_message_stays_japanese_by_default():
    with translation.override("ja"):
        assert _message(lambda: normalize_corporate_number("123")) == "法人番号「123」は13桁の数字で書いてください。"
    with translation.override("en"):
        assert _message(lambda: normalize_corporate_number("123")) == 'The corporate number "123" must be 13 digits.'


def test_a_file_error_message_comes_out_in_english(tmp_path):
    path = tmp_path / "calls.ods"
    path.write_text("x", encoding="utf-8")
    with translation.override("en"):
        assert _message(lambda: open_table(path)) == "This format (.ods) cannot be read. Save the file as CSV or XLSX."


# --- the catalogue ------------------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    context: str | None = None
    plural: str | None = None
    strings: list[str] = field(default_factory=list)  # msgstr, or msgstr[0], msgstr[1], ...
    flags: set[str] = field(default_factory=set)


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def parse_po(text: str) -> list[Entry]:
    """msgctxt/msgid/msgid_plural/msgstr of each live entry (obsolete `#~` entries are left out)."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        fields: dict[str, str] = {}
        flags: set[str] = set()
        current = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := _KEYWORD.match(line):
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if "msgid" not in fields:
            continue
        strings = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr"))]
        entries.append(Entry(fields["msgid"], fields.get("msgctxt"), fields.get("msgid_plural"), strings, flags))
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    entries = parse_po(PO.read_text(encoding="utf-8"))
    assert entries[0].msgid == "", "the .po starts with its header"
    return entries


def test_the_english_header_names_the_language_and_its_plural_rule(po_entries):
    header = po_entries[0]
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.strings[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.strings[0]


def test_every_english_entry_is_translated_and_none_is_fuzzy(po_entries):
    messages = po_entries[1:]
    assert len(messages) > 100
    untranslated = [e.msgid for e in messages if not e.strings or any(not s.strip() for s in e.strings)]
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    assert untranslated == [] and fuzzy == []
    assert all(len(e.strings) == 2 for e in messages if e.plural is not None)


def test_every_english_entry_keeps_the_placeholders_of_its_message_id(po_entries):
    placeholder = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")
    for entry in po_entries[1:]:
        expected = sorted(placeholder.findall(entry.msgid))
        for string in entry.strings:
            assert sorted(placeholder.findall(string)) == expected, entry.msgid


def test_the_compiled_catalogue_matches_the_po(po_entries):
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for e in po_entries[1:]:
        if e.plural is None:
            got = [compiled.pgettext(e.context, e.msgid) if e.context else compiled.gettext(e.msgid)]
        elif e.context:
            got = [compiled.npgettext(e.context, e.msgid, e.plural, n) for n in (1, 2)]
        else:
            got = [compiled.ngettext(e.msgid, e.plural, n) for n in (1, 2)]
        if got != e.strings:
            stale.append(e.msgid)
    assert stale == [], "django.mo is older than django.po: run compilemessages"


_TEMPLATE_CALL = re.compile(r"\b(gettext|pgettext|ngettext|npgettext|_)\(((?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?)+)")
_PY_FUNCTIONS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy",
                 "npgettext", "npgettext_lazy"}


def _key(function: str, args: list[str]) -> tuple[str | None, str]:
    return (args[0], args[1]) if function.startswith(("pgettext", "npgettext")) else (None, args[0])


def source_messages() -> set[tuple[str | None, str]]:
    """(context, msgid) of every literal translatable string in the package's templates and Python code."""
    found = set()
    for path in PACKAGE.rglob("*.html"):
        for function, args in _TEMPLATE_CALL.findall(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
            found.add(_key(function, list(ast.literal_eval(f"({args.rstrip().rstrip(',')},)"))))  # u'…' literals are valid Python 3
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in _PY_FUNCTIONS and node.args and all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2]
            ):
                found.add(_key(name, [a.value for a in node.args[:2]]))
    return found


def test_every_translatable_string_in_the_code_has_an_english_entry(po_entries):
    catalogue = {(e.context, e.msgid) for e in po_entries[1:]}
    missing = sorted(source_messages() - catalogue, key=str)
    assert missing == [], "run makemessages -l en, translate, then compilemessages (see this file's docstring)"
