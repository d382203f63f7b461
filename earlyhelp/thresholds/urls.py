from django.urls import path

from earlyhelp.thresholds import views

app_name = "thresholds"

urlpatterns = [
    path("level-of-need/", views.check, name="check"),
    path("guidance/level-of-need/", views.public_check, name="public-check"),
    path("guidance/level-of-need/matrix/", views.matrix, name="matrix"),
    path("people/<int:pk>/level-of-need/", views.person_decide, name="person-decide"),
    path("people/<int:pk>/level-of-need/<int:decision_pk>/", views.person_decision, name="person-decision"),
]
