"""Rate limits on the public API: per client address for anonymous callers, per person for signed-in ones (session
or API token). The rates are read from settings on each request, so a deployment (or a test) can change them."""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from tsunagu.core.security import client_address


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"

    def __init__(self) -> None:  # the rate is read per request, not when the API is built
        self.rate = None

    def _person_id(self, request: HttpRequest) -> int | None:
        auth = getattr(request, "auth", None)  # what a token authenticator returned: a user
        for candidate in (auth, getattr(request, "user", None)):
            if getattr(candidate, "is_authenticated", False):
                return candidate.pk
        return None

    def allow_request(self, request: HttpRequest) -> bool:
        person = self._person_id(request)
        self.rate = settings.API_RATE_AUTHENTICATED if person else settings.API_RATE_ANONYMOUS
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str:
        return client_address(request)  # the one rule for X-Forwarded-For (TRUSTED_PROXIES)

    def get_cache_key(self, request: HttpRequest) -> str:
        person = self._person_id(request)
        ident = f"user-{person}" if person else f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
