"""Writes of eligibility profiles and registrations: only ever the signed-in user's own."""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError
from tsunagu.municipalities.models import Municipality

from .models import EligibilityProfile, Registration


@transaction.atomic
def profile_save(*, user, org_type: str, municipality: Municipality, name: str = "", member_count: int | None = None,
                 years_active: int | None = None) -> EligibilityProfile:
    """Create or update the user's one profile."""
    profile, _created = EligibilityProfile.objects.update_or_create(
        user=user, defaults={"org_type": org_type, "municipality": municipality, "name": name,
                             "member_count": member_count, "years_active": years_active},
    )
    return profile


@transaction.atomic
def registration_add(*, profile: EligibilityProfile, body: Municipality, category: str = "",
                     valid_until: datetime.date | None = None) -> Registration:
    """Record a place on `body`'s 入札参加資格者名簿; the same body and category twice is refused."""
    try:
        with transaction.atomic():
            return Registration.objects.create(profile=profile, body=body, category=category, valid_until=valid_until)
    except IntegrityError:
        raise DomainError(_("%(body)sのこの区分の登録はもうあります。") % {"body": body.full_name}, field="body") from None


@transaction.atomic
def registration_remove(*, registration: Registration) -> None:
    registration.delete()
