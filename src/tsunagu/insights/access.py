"""Analytics and supplier pages are public, like the notices they count: anyone may read an organisation that exists."""

from django.http import Http404

from tsunagu.notices.models import Organisation


def access_organisation(user, organisation_id: int) -> Organisation:
    try:
        return Organisation.objects.get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None
