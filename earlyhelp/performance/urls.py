from django.urls import path

from earlyhelp.performance import views

app_name = "performance"

urlpatterns = [
    path("performance/", views.dashboard, name="dashboard"),
    path("performance/supporting-families/", views.supporting_families, name="supporting-families"),
    path("performance/partner-agencies/", views.partner_agencies, name="partner-agencies"),
    path("performance/<slug:slug>/", views.kpi_page, name="kpi"),
]
