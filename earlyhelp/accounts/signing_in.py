"""Signing in, guarded against guessing (issue 13), every attempt in the audit trail.

- **Locked from that source**: after `SIGN_IN_FAILURES_FROM_ONE_SOURCE` wrong passwords for one
  account from one address within `SIGN_IN_COOL_OFF_SECONDS`, that account cannot sign in from
  that address until the cool-off has passed (the right password included).
- **Slowed from everywhere**: after `SIGN_IN_FAILURES_BEFORE_SLOWING` wrong passwords for one
  account from any addresses, each further attempt must wait `SIGN_IN_SLOW_SECONDS` after the
  last. Guessing from many addresses gets a few tries a minute; but nobody can lock the front door
  out by typing its staff's addresses from elsewhere: they can still sign in from their own desk,
  after a short wait.
- Counts are kept per typed address, whether or not an account has it, so that the answers never
  tell a guesser which addresses exist. They live in the cache (Redis in production, shared by
  every app server) and end with the cool-off; a successful sign-in clears its source's count.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Refusal:
    message: str
    why: str


def _source_key(email: str, address: str | None) -> str:
    return f"sign-in:failures:{email}:{address or 'unknown'}"


def _account_key(email: str) -> str:
    return f"sign-in:failures:{email}"


def _last_key(email: str) -> str:
    return f"sign-in:last:{email}"


def refusal(email: str, address: str | None) -> Refusal | None:
    """Why this attempt is refused before its password is even checked, or None."""
    cool_off = settings.SIGN_IN_COOL_OFF_SECONDS
    if int(cache.get(_source_key(email, address), 0)) >= settings.SIGN_IN_FAILURES_FROM_ONE_SOURCE:
        return Refusal(
            f"This account cannot sign in from here for {_duration(cool_off)}, after too many wrong passwords. "
            "If you have forgotten your password, ask your administrator for a link to set a new one",
            "locked from this source",
        )
    if int(cache.get(_account_key(email), 0)) >= settings.SIGN_IN_FAILURES_BEFORE_SLOWING:
        wait = settings.SIGN_IN_SLOW_SECONDS
        last = float(cache.get(_last_key(email), 0.0))
        if time.time() - last < wait:
            return Refusal(
                f"There have been too many wrong passwords for this account. Wait {wait} seconds, then try again",
                "slowed after wrong passwords from several sources",
            )
    return None


def _duration(seconds: int) -> str:
    if seconds % 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = seconds // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def attempted(email: str, address: str | None, *, succeeded: bool) -> None:
    cool_off = settings.SIGN_IN_COOL_OFF_SECONDS
    cache.set(_last_key(email), time.time(), cool_off)
    if succeeded:
        cache.delete(_source_key(email, address))
        return
    for key in (_source_key(email, address), _account_key(email)):
        cache.add(key, 0, cool_off)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, cool_off)
