import re
from pathlib import Path

import pytest

from tests.conftest import ROLES

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "tsunagu"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/", "/notices/", "/api/v1/notices", "/api/v1/docs", "/accounts/login/"])
def test_every_answer_carries_a_policy_without_unsafe_inline_and_denies_framing(client_as, role, path):
    answer = client_as(role).get(path)
    policy = answer["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert answer["X-Frame-Options"] == "DENY"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Referrer-Policy"] == "same-origin"
    assert "camera=()" in answer["Permissions-Policy"]


INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_holds_inline_script_or_style_which_the_policy_would_block():
    problems = []
    for template in PACKAGE.rglob("templates/**/*.html"):
        if "email" in template.parts:  # mail, not pages: mail clients need inline styles and no policy applies
            continue
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{template.relative_to(PACKAGE)}:{line}: {what}")
    assert not problems, "\n".join(problems)
