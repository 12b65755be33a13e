"""The docs keep up with the code: template columns, JSON Lines keys, environment variables, commands, links."""

import json
import re
from pathlib import Path

import pytest

import tsunagu.settings as settings_module
from tests.factories import AwardFactory, NoticeFactory, OrganisationFactory
from tsunagu.notices.exports import notice_as_json, notices_for_export
from tsunagu.notices.imports.columns import AWARD_COLUMNS, NOTICE_COLUMNS
from tsunagu.notices.imports.pipeline import ImportResult

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "tsunagu"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text under a `## heading` up to the next heading of the same level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"docs/import-templates.md has no section '## {heading}'"
    return match.group(1)


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows keyed by their first cell."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            rows[cells[0]] = cells
    return rows


def json_blocks(text: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.DOTALL)]


@pytest.mark.parametrize(
    ("heading", "columns"), [("公募情報テンプレート", NOTICE_COLUMNS), ("落札結果テンプレート", AWARD_COLUMNS)]
)
def test_every_template_column_is_documented_with_its_help_text_required_mark_and_english_names(heading, columns):
    rows = table_rows(section(read(DOCS / "import-templates.md"), heading))
    for column in columns:
        assert column.header in rows, f"column {column.header} is missing from the {heading} table"
        _header, required, help_text, names = rows[column.header][:4]
        assert required == ("必須" if column.required else ""), column.header
        assert help_text == column.help, f"help text of {column.header} differs from columns.py"
        for name in (column.key, *column.aliases):
            assert f"`{name}`" in names, f"{column.header}: English header {name} is not listed"
    assert set(rows) - {"列"} == {c.header for c in columns}, "the table lists a column the template doesn't have"


@pytest.mark.django_db
def test_every_json_lines_key_of_an_exported_notice_with_an_award_is_documented():
    notice = NoticeFactory(external_id="R7-1", budget_yen=5_500_000)
    AwardFactory(notice=notice, winner=OrganisationFactory(corporate_number="8000020130001"), amount_yen=5_280_000,
                 estimated_value_yen=5_500_000)
    exported = notice_as_json(notices_for_export().get(pk=notice.pk))
    [award] = exported["awards"]
    text = read(DOCS / "import-templates.md")
    for key in [*exported, *award]:
        assert f"`{key}`" in text, f"JSON Lines key {key} is not documented in docs/import-templates.md"
    [example] = [block for block in json_blocks(text) if "awards" in block]
    assert set(example) == set(exported), "the JSON Lines example's keys differ from the export"
    assert set(example["awards"][0]) == set(award), "the JSON Lines example's award keys differ from the export"


def test_the_json_report_example_has_the_keys_the_import_commands_print():
    reports = [block for block in json_blocks(read(DOCS / "import-templates.md")) if "errors" in block]
    assert reports, "docs/import-templates.md shows no --json report"
    expected = set(ImportResult().as_json())
    for report in reports:
        assert set(report) == expected
        for error in report["errors"]:
            assert set(error) == {"row", "column", "message"}


def test_every_environment_variable_named_in_the_settings_docstring_is_in_operations():
    names = re.findall(r"^([A-Z][A-Z0-9_]+)\s", settings_module.__doc__, re.MULTILINE)
    assert "DATABASE_URL" in names and "REDIS_URL" in names, "the settings docstring format changed"
    text = read(DOCS / "operations.md")
    missing = [name for name in names if f"`{name}`" not in text]
    assert not missing, f"docs/operations.md does not document {missing}"


def test_every_environment_variable_the_settings_read_is_in_operations():
    source = read(PACKAGE / "settings.py")
    names = set(re.findall(r"(?:os\.environ\.get|env_bool|env_list)\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    assert "SECRET_KEY" in names, "the way settings.py reads the environment changed"
    text = read(DOCS / "operations.md")
    missing = sorted(name for name in names if f"`{name}`" not in text)
    assert not missing, f"docs/operations.md does not document {missing}"


def test_the_readme_holds_the_two_commands_and_the_makefile_has_them():
    readme = read(ROOT / "README.md")
    makefile = read(ROOT / "Makefile")
    for target in ("run", "test"):
        assert f"make {target}" in readme
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f"the Makefile has no '{target}' target"


def test_every_management_command_of_the_project_is_documented():
    docs = "\n".join(read(path) for path in DOCS.glob("*.md"))
    commands = sorted(
        path.stem for path in PACKAGE.glob("*/management/commands/*.py") if not path.stem.startswith("_")
    )
    assert "import_notices" in commands
    missing = [name for name in commands if f"tsunagu {name}" not in docs]
    assert not missing, f"no docs page shows how to run {missing}"


def test_every_app_is_on_the_architecture_map():
    text = read(DOCS / "architecture.md")
    apps = sorted(path.parent.name for path in PACKAGE.glob("*/apps.py"))
    assert "notices" in apps
    missing = [name for name in apps if f"{name}/" not in text]
    assert not missing, f"docs/architecture.md does not place {missing}"


@pytest.mark.parametrize("page", [ROOT / "README.md", *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_relative_links_point_at_files_that_exist(page):
    for target in re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", read(page)):
        if re.match(r"[a-z]+:", target):
            continue
        assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"
