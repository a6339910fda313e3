from django.urls import path, re_path

from . import agenda_views, views

app_name = "consultations"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("agendas/", agenda_views.my_agenda, name="my_agenda"),
    path("registrations/<int:pk>/agenda/", agenda_views.registration_agenda, name="agenda"),
    path("registrations/<int:pk>/agenda.ics", agenda_views.registration_ics, name="agenda_ics"),
    path("meetings/<int:pk>/meeting.ics", agenda_views.meeting_ics, name="meeting_ics"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/schedule/", views.schedule_run, name="schedule"),
    re_path(
        r"^requests/(?P<pk>[0-9]+)/(?P<answer>accept|decline)/$",
        views.meeting_request_answer,
        name="request_answer",
    ),
    path("<int:pk>/suggestions/", views.event_suggestions, name="suggestions"),
    path("<int:pk>/requests/", views.meeting_request_create, name="request_create"),
]
