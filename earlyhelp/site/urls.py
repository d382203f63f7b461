from django.contrib import admin
from django.urls import include, path

from earlyhelp.accounts.middleware import two_step_exempt
from earlyhelp.audit import views as audit_views
from earlyhelp.site import views as site_views
from earlyhelp.site.api import api_urls

admin.site.site_header = "Early Help administration"
admin.site.site_title = "Early Help administration"

urlpatterns = [
    path("", site_views.home, name="home"),
    path("sign-in/", site_views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", two_step_exempt(site_views.SignOutView.as_view()), name="sign-out"),
    path("healthz", site_views.health, name="health"),
    path("account/", include("earlyhelp.accounts.urls")),
    path("record-of-access/refused/", audit_views.refused_access, name="refused-access"),
    path("", include("earlyhelp.people.urls")),
    path("", include("earlyhelp.sharing.urls")),
    path("", include("earlyhelp.thresholds.urls")),
    path("", include("earlyhelp.frontdoor.urls")),
    path("", include("earlyhelp.directory.urls")),
    path("", include("earlyhelp.casework.urls")),
    path("", include("earlyhelp.records.urls")),
    path("", include("earlyhelp.forums.urls")),
    path("", include("earlyhelp.governance.urls")),
    path("", include("earlyhelp.performance.urls")),
    path("api/v1/", api_urls()),
    path("admin/", admin.site.urls),
]

handler400 = "earlyhelp.site.views.bad_request"
handler404 = "earlyhelp.site.views.page_not_found"
