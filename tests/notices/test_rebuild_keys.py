import pytest
from django.core.management import call_command

from tests.factories import NoticeFactory
from tsunagu.core.text import reload_variants
from tsunagu.notices.identity import notice_fingerprint
from tsunagu.notices.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_variants(settings, tmp_path):
    path = tmp_path / "variants.txt"
    path.write_text("ワークショップ・WS\n", encoding="utf-8")
    settings.TEXT_VARIANT_FILES = [str(path)]
    reload_variants()
    yield
    settings.TEXT_VARIANT_FILES = []
    reload_variants()


def test_rebuilding_keys_follows_a_new_spelling_variant_and_reports_the_duplicates_it_reveals(extra_variants, capsys):
    # Stored before the variant existed: two different keys for what is now one spelling.
    first = NoticeFactory(title="WS運営業務", fingerprint="old-1", title_key="ws運営業務")
    NoticeFactory(title="ワークショップ運営業務", fingerprint="old-2", title_key="ワークショップ運営業務")
    call_command("rebuild_notice_keys")
    out = capsys.readouterr().out
    assert "1件の同一性キーを作り直しました" in out and "重複の可能性" in out
    notice = Notice.objects.get(pk=first.pk)
    assert notice.fingerprint == notice_fingerprint(lg_code="131016", title="ワークショップ運営業務", published_on=notice.published_on)
