from django.urls import path

from earlyhelp.governance import rectifying_views, subject_access_views, views

app_name = "governance"

urlpatterns = [
    path("retention/", views.due, name="due"),
    path("retention/families/<int:pk>/", views.review, name="review"),
    path("retention/disposed/", views.disposed, name="disposed"),
    path("people/<int:pk>/corrections/", rectifying_views.rectifications, name="rectifications"),
    path(
        "people/<int:pk>/corrections/<int:item_pk>/",
        rectifying_views.rectification_decide,
        name="rectification-decide",
    ),
    path("subject-access/", subject_access_views.requests, name="subject-access-list"),
    path("people/<int:pk>/subject-access/", subject_access_views.request_add, name="subject-access-add"),
    path("subject-access/<int:pk>/", subject_access_views.request_detail, name="subject-access"),
    path("subject-access/<int:pk>/items/<int:item_pk>/", subject_access_views.item_review, name="subject-access-item"),
    path("subject-access/<int:pk>/pack/", subject_access_views.request_pack, name="subject-access-pack"),
]
