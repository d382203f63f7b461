from django.urls import path

from earlyhelp.people import checking_views, merge_views, restricting_views, views

app_name = "people"

urlpatterns = [
    path("people/", views.person_search, name="search"),
    path("people/add/", views.person_add, name="person-add"),
    path("people/add/possible-matches/", views.person_matches, name="person-matches"),
    path("people/to-check/", checking_views.people_to_check, name="people-to-check"),
    path("people/to-check/<int:pk>/", checking_views.person_to_check, name="person-to-check"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/access-log/", views.person_access_log, name="person-access-log"),
    path("people/<int:pk>/relationships/add/", views.relationship_add, name="relationship-add"),
    path("people/<int:pk>/relationships/<int:relationship_pk>/", views.relationship_edit, name="relationship-edit"),
    path("people/<int:pk>/restrict/", restricting_views.person_restrict, name="person-restrict"),
    path("families/<int:pk>/restrict/", restricting_views.family_restrict, name="family-restrict"),
    path("people/<int:pk>/merge/", merge_views.person_merge_page, name="person-merge"),
    path("people/merges/<int:merge_pk>/undo/", merge_views.person_merge_undo_page, name="person-merge-undo"),
    path("families/add/", views.family_add, name="family-add"),
    path("families/<int:pk>/", views.family_detail, name="family-detail"),
    path("families/<int:pk>/edit/", views.family_edit, name="family-edit"),
    path("families/<int:pk>/members/add/", views.family_member_add, name="family-member-add"),
    path("families/<int:pk>/members/<int:membership_pk>/", views.family_member_edit, name="family-member-edit"),
]
