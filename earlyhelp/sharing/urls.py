from django.urls import path

from earlyhelp.sharing import views

app_name = "sharing"

urlpatterns = [
    path("people/<int:pk>/sharing/", views.person_sharing, name="person-sharing"),
    path("people/<int:pk>/sharing/agreement/", views.agreement_add, name="agreement-add"),
    path("people/<int:pk>/sharing/consent/", views.consent_add, name="consent-add"),
    path("people/<int:pk>/sharing/decision/", views.decision_add, name="decision-add"),
    path(
        "people/<int:pk>/sharing/<str:kind>/<int:record_pk>/withdraw/",
        views.withdraw_record,
        name="withdraw",
    ),
]
