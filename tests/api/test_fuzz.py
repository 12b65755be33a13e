"""The API against its own OpenAPI description: schemathesis generates requests for every operation (valid and
hostile values) and checks each answer — no server error, status codes and bodies as described."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings as hypothesis_settings

from tests.factories import AwardFactory, NoticeFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def some_notices(settings):
    settings.API_RATE_ANONYMOUS = settings.API_RATE_AUTHENTICATED = "100000/m"
    NoticeFactory(title="観光プロモーション業務", external_id="R7-1")
    AwardFactory(amount_yen=900_000, estimated_value_yen=1_000_000)


@pytest.mark.django_db
@pytest.mark.usefixtures("some_notices")
@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_api_operation_answers_as_its_openapi_description_says(case):
    case.call_and_validate()
