from django.urls import path, re_path

from portal import converters  # noqa: F401 (registers <token:...>)

from . import agenda_views, booking_views, outcome_views, registration_views, request_views, views

app_name = "consultations"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("agendas/", agenda_views.my_agenda, name="my_agenda"),
    path("registrations/<int:pk>/agenda/", agenda_views.registration_agenda, name="agenda"),
    path("registrations/<int:pk>/agenda.ics", agenda_views.registration_ics, name="agenda_ics"),
    path("meetings/<int:pk>/meeting.ics", agenda_views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/outcome/", outcome_views.meeting_outcome, name="outcome"),
    path("mous/<int:pk>/document.pdf", outcome_views.mou_document, name="mou_document"),
    path("follow-ups/<token:token>/", outcome_views.follow_up, name="follow_up"),
    path("new/", views.event_create, name="create"),
    path("join/", registration_views.events_to_join, name="join_list"),
    path("<int:pk>/join/", registration_views.event_join, name="join"),
    path("<int:pk>/meet/", request_views.event_meet, name="meet"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/schedule/", views.schedule_run, name="schedule"),
    path("<int:pk>/grid/", booking_views.event_grid, name="grid"),
    path("<int:pk>/log/", outcome_views.consultation_log, name="log"),
    path("<int:pk>/meetings/new/", booking_views.meeting_create, name="meeting_create"),
    re_path(
        r"^(?P<pk>[0-9]+)/meetings/(?P<action>lock|unlock)/$",
        booking_views.meetings_lock,
        name="meetings_lock",
    ),
    path("<int:pk>/meetings/<int:meeting_pk>/edit/", booking_views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/meetings/<int:meeting_pk>/cancel/", booking_views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/registrations/", registration_views.registration_list, name="registrations"),
    path("<int:pk>/registrations/new/", registration_views.registration_create, name="registration_create"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/edit/",
        registration_views.registration_edit,
        name="registration_edit",
    ),
    re_path(
        r"^(?P<pk>[0-9]+)/registrations/(?P<registration_pk>[0-9]+)/(?P<decision>confirm|withdraw)/$",
        registration_views.registration_decide,
        name="registration_decide",
    ),
    path("<int:pk>/interpreters/", registration_views.interpreter_list, name="interpreters"),
    path(
        "<int:pk>/interpreters/<int:interpreter_pk>/edit/",
        registration_views.interpreter_edit,
        name="interpreter_edit",
    ),
    re_path(
        r"^requests/(?P<pk>[0-9]+)/(?P<answer>accept|decline)/$",
        views.meeting_request_answer,
        name="request_answer",
    ),
    path("<int:pk>/suggestions/", views.event_suggestions, name="suggestions"),
    path("<int:pk>/requests/", views.meeting_request_create, name="request_create"),
]
