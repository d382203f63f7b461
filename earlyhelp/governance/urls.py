from django.urls import path

from earlyhelp.governance import views

app_name = "governance"

urlpatterns = [
    path("retention/", views.due, name="due"),
    path("retention/families/<int:pk>/", views.review, name="review"),
    path("retention/disposed/", views.disposed, name="disposed"),
]
