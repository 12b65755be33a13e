"""Who may see what of alerts: a saved search, a follow and a token are their owner's only (others get 404)."""

from django.http import Http404

from .models import ApiToken, SavedSearch


def access_saved_search(user, saved_search_id: int) -> SavedSearch:
    found = SavedSearch.objects.visible_to(user).filter(pk=saved_search_id).first()
    if found is None:
        raise Http404
    return found


def access_api_token(user, token_id: int) -> ApiToken:
    found = ApiToken.objects.visible_to(user).filter(pk=token_id).first()
    if found is None:
        raise Http404
    return found


