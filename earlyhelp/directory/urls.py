from django.urls import path

from earlyhelp.directory import views

app_name = "directory"

urlpatterns = [
    path("services/", views.service_list, name="services"),
]
