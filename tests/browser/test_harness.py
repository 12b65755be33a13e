"""The journeys' safety net itself: a Content-Security-Policy violation on a real page reaches the journey as a
console error and stops it at the next step."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_inline_style_refused_by_the_content_security_policy_fails_the_journey_at_the_next_step(desktop):
    desktop.open("/notices/")
    desktop.step("search-page")
    # What a template with style="…" would do: the policy has no unsafe-inline, so the browser refuses it.
    desktop.page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    desktop.page.wait_for_timeout(200)
    with pytest.raises(AssertionError, match="Content Security Policy"):
        desktop.step("after-inline-style")
    desktop.problems.clear()  # seen: the journey's end must not fail on it again
    desktop.reported = 0
