"""Who may see what of alerts: a saved search, a follow and a token are their owner's only (others get 404)."""

from django.http import Http404

from .models import ApiToken, FeedToken, SavedSearch


def access_saved_search(user, saved_search_id: int) -> SavedSearch:
    found = SavedSearch.objects.visible_to(user).filter(pk=saved_search_id).first()
    if found is None:
        raise Http404
    return found


def access_feed_user(token: str):
    """The person a feed token belongs to (feeds are read without login); a revoked or made-up token: 404."""
    found = FeedToken.objects.filter(token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        raise Http404
    return found.user


def access_api_token(user, token_id: int) -> ApiToken:
    found = ApiToken.objects.visible_to(user).filter(pk=token_id).first()
    if found is None:
        raise Http404
    return found


