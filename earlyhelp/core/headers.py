"""Headers every page the service itself answers carries (static files are served by WhiteNoise,
above these, with their own long cache).

- `Cache-Control: no-store`: any page may hold a child's details (a person's record, a referral's
  status for a partner system, a letter), and a page that holds none today may tomorrow. No
  browser, proxy or shared computer keeps a copy, whoever is signed in or not.
- `Permissions-Policy`: the service uses no camera, microphone, location or the like; a script
  that got in could not switch them on.

The Content-Security-Policy is django-csp's (settings `CONTENT_SECURITY_POLICY`).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)


class PrivatePagesMiddleware:
    """No page is ever stored (whatever a view asked for), and no powerful feature is allowed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        never_stored(response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def never_stored(response: HttpResponse) -> None:
    if "Cache-Control" in response.headers:
        # A view's own max-age or "public" would be overruled by no-store anyway; say so plainly.
        del response.headers["Cache-Control"]
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
