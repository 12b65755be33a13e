"""Slowing down password guessing: failures are counted in the cache per (user name, address) and per address.
Past the limit, sign-in is refused for the lock-out time even with the right password, and the person is told how
long to wait. A success clears the pair's count. Counting per pair keeps a stranger from locking someone out."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(*parts: str) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]  # no user names or addresses in cache keys
    return f"login-failures:{digest}"


def _keys(username: str, address: str) -> tuple[str, str]:
    return _key("pair", username.strip().casefold(), address), _key("address", address)


def login_is_locked(*, username: str, address: str) -> bool:
    pair, by_address = _keys(username, address)
    return (cache.get(pair, 0) >= settings.LOGIN_FAILURE_LIMIT
            or cache.get(by_address, 0) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS)


def login_failure_record(*, username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def login_success_record(*, username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
