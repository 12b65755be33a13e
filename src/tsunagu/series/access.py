"""Fetch-with-permission for series: public, like the notices they are made of."""

from django.http import Http404

from .models import CallSeries
from .selectors import series_queryset


def access_series(user, series_id: int) -> CallSeries:
    """Anyone may read a series that exists (404 otherwise)."""
    try:
        return series_queryset().get(pk=series_id)
    except CallSeries.DoesNotExist:
        raise Http404 from None
