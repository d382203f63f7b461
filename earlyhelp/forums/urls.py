from django.urls import path

from earlyhelp.forums import views

app_name = "forums"

urlpatterns = [
    path("forums/", views.forums, name="forums"),
    path("forums/reports/", views.reports, name="reports"),
    path("forums/market-place/", views.market_place, name="market-place"),
    path("forums/<int:pk>/", views.forum, name="forum"),
    path("forums/<int:pk>/request-a-discussion/", views.request_add, name="request-add"),
    path("forum-requests/<int:pk>/", views.request_detail, name="request"),
    path("forum-requests/<int:pk>/refer-to-the-front-door/", views.refer, name="request-refer"),
    path("forum-meetings/<int:pk>/", views.meeting, name="meeting"),
    path("forum-meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("forum-meetings/<int:pk>/change/", views.meeting_change, name="meeting-change"),
    path("forum-meetings/<int:pk>/discussions/<int:request_pk>/", views.discussion, name="discussion"),
    path("forum-meetings/<int:pk>/actions/<int:action_pk>/", views.action, name="action"),
]
