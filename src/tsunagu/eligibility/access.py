"""Fetch-with-permission for eligibility: a profile and its registrations are their owner's alone."""

from django.http import Http404

from .models import EligibilityProfile, Registration


def access_profile(user) -> EligibilityProfile | None:
    """The signed-in user's own profile (None when they have none yet)."""
    return (EligibilityProfile.objects.select_related("municipality__prefecture")
            .prefetch_related("registrations__body__prefecture").filter(user=user).first())


def access_registration(user, registration_id: int) -> Registration:
    """One of the user's own registrations; anyone else's is 404 (its existence is not theirs to know)."""
    try:
        return Registration.objects.select_related("body").get(pk=registration_id, profile__user=user)
    except Registration.DoesNotExist:
        raise Http404 from None
