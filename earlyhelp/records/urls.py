from django.urls import path

from earlyhelp.records import views

app_name = "records"

urlpatterns = [
    path("episodes/<int:pk>/chronology/", views.chronology, name="chronology"),
    path("episodes/<int:pk>/chronology/add/", views.chronology_add, name="chronology-add"),
    path("episodes/<int:pk>/referrals-to-agencies/", views.agency_referrals, name="agency-referrals"),
    path("episodes/<int:pk>/referrals-to-agencies/<int:referral_pk>/", views.agency_referral, name="agency-referral"),
    path("episodes/<int:pk>/step-up/<int:step_up_pk>/referral/", views.step_up_referral, name="step-up-referral"),
    path("episodes/<int:pk>/documents/", views.documents, name="documents"),
    path("episodes/<int:pk>/documents/<int:document_pk>/download/", views.document_download, name="document-download"),
    path("episodes/<int:pk>/genogram-and-ecomap/", views.genogram_and_ecomap, name="genogram-and-ecomap"),
]
