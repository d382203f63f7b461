"""The address a request came from, behind as many trusted reverse proxies as the service says.

Behind a proxy every request comes from the proxy's address, so every family would share one
self-referral limit and the audit trail would say "the proxy" for everyone. `X-Forwarded-For` holds
the chain, but its leftmost values are whatever the client chose to send: with N trusted proxies
the client is the Nth address from the right, each proxy having appended the address it saw.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    direct = _address(str(request.META.get("REMOTE_ADDR", "")))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return direct
    chain = [part for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    if len(chain) < proxies:
        return direct
    return _address(chain[-proxies]) or direct
