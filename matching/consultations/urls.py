from django.urls import path, re_path

from . import views

app_name = "consultations"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    re_path(
        r"^requests/(?P<pk>[0-9]+)/(?P<answer>accept|decline)/$",
        views.meeting_request_answer,
        name="request_answer",
    ),
    path("<int:pk>/suggestions/", views.event_suggestions, name="suggestions"),
    path("<int:pk>/requests/", views.meeting_request_create, name="request_create"),
]
