"""docs/opendata.md and the extension's README keep up with the code."""

import json
from pathlib import Path

from tsunagu.opendata.ocds import FIELDS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "opendata.md").read_text(encoding="utf-8")
EXTENSION = ROOT / "src" / "tsunagu" / "opendata" / "ocds_extension"


def test_every_field_of_the_mapping_is_in_the_docs_table_with_its_extension_mark():
    rows = {" ".join(line.split()) for line in DOC.splitlines() if line.startswith("|")}
    for label, path, in_extension in FIELDS:
        row = " ".join(f"| {label} | `{path}` | {'拡張' if in_extension else ''} |".split())
        assert row in rows, f"docs/opendata.md lacks the row: {row}"


def test_every_field_the_extension_adds_is_documented_in_its_readme_and_the_docs():
    patch = json.loads((EXTENSION / "release-schema.json").read_text(encoding="utf-8"))
    readme = (EXTENSION / "README.md").read_text(encoding="utf-8")
    for definition, body in patch["definitions"].items():
        for name in body["properties"]:
            assert f"`{name}`" in readme, f"{definition}.{name} is not in the extension README"
            assert name in DOC, f"{definition}.{name} is not in docs/opendata.md"


def test_the_extension_declares_its_schema_and_ocds_version():
    extension = json.loads((EXTENSION / "extension.json").read_text(encoding="utf-8"))
    assert extension["schemas"] == ["release-schema.json"] and extension["compatibility"] == ["1.1"]
    assert extension["name"]["en"] and extension["description"]["en"]
