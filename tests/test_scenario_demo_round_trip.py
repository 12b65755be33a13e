"""Everything the demo generator writes (every kind, wording and tax basis it knows) exports and re-imports
unchanged: the export really is in the import template."""

import datetime
import json

import pytest
from django.core.management import call_command

from tsunagu.notices.demo import demo_generate
from tsunagu.notices.models import Award, Notice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_demo_data_exports_and_reimports_with_every_row_unchanged(tmp_path, capsys, fmt):
    demo_generate(notices=400, seed=7, today=datetime.date(2026, 11, 28))
    notices, awards = Notice.objects.count(), Award.objects.count()
    assert awards > 0
    notice_file = tmp_path / f"notices.{fmt}"
    call_command("export_notices", "--format", fmt, "--output", str(notice_file))
    award_file = notice_file
    if fmt == "csv":
        award_file = tmp_path / "awards.csv"
        call_command("export_notices", "--format", "csv", "--awards", "--output", str(award_file))
    capsys.readouterr()
    call_command("import_notices", str(notice_file), "--json", *(["--sheet", "公募情報"] if fmt == "xlsx" else []))
    notice_report = json.loads(capsys.readouterr().out)
    call_command("import_awards", str(award_file), "--json")
    award_report = json.loads(capsys.readouterr().out)
    assert notice_report == {"created": 0, "updated": 0, "unchanged": notices, "rejected": 0, "errors": []}
    assert award_report == {"created": 0, "updated": 0, "unchanged": awards, "rejected": 0, "errors": []}
