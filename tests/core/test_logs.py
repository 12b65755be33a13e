import io
import logging

import pytest

from tsunagu.core.logging import RedactTokens, redact

TOKEN = "kR3v9-xQ_2mZpL8sT4wYbN7cH1dF6gJ0"


def test_long_random_segments_and_query_values_are_masked_and_ordinary_paths_are_not():
    assert redact(f"Not Found: /comms/calendar/{TOKEN}.ics") == "Not Found: /comms/calendar/[redacted]"
    assert redact(f"GET /alerts/unsubscribe/?token={TOKEN}") == "GET /alerts/unsubscribe/?token=[redacted]"
    assert redact("Not Found: /notices/12345/calendar.ics") == "Not Found: /notices/12345/calendar.ics"


@pytest.mark.django_db
def test_a_token_in_a_refused_url_never_reaches_the_log(client):
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RedactTokens) for f in h.filters))
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        assert client.get(f"/comms/calendar/{TOKEN}.ics").status_code == 404
    finally:
        handler.setStream(old)
    written = stream.getvalue()
    assert "Not Found" in written and TOKEN not in written and "[redacted]" in written
