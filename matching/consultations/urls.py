from django.urls import path, re_path

from matching.consultations.booking import (
    agenda_views,
    change_views,
    grid_views,
    meeting_start_views,
    programme_views,
    request_views,
)
from matching.consultations.booking import views as booking_views
from matching.consultations.events import check_in_views, registration_views
from matching.consultations.events import views as event_views
from matching.consultations.outcomes import board_views, views
from portal.common import converters  # noqa: F401 (registers <token:...>)

app_name = "consultations"
urlpatterns = [
    path("", event_views.event_list, name="events"),
    path("agendas/", agenda_views.my_agenda, name="my_agenda"),
    path("registrations/<int:pk>/agenda/", agenda_views.registration_agenda, name="agenda"),
    path("registrations/<int:pk>/agenda.ics", agenda_views.registration_ics, name="agenda_ics"),
    path("meetings/<int:pk>/meeting.ics", agenda_views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/outcome/", views.meeting_outcome, name="outcome"),
    path("meetings/<int:pk>/change/", change_views.meeting_change_ask, name="meeting_change_ask"),
    path(
        "change-requests/<int:pk>/withdraw/",
        change_views.meeting_change_withdraw,
        name="meeting_change_withdraw",
    ),
    path("mous/<int:pk>/document.pdf", views.mou_document, name="mou_document"),
    path("follow-ups/<token:token>/", views.follow_up, name="follow_up"),
    path("new/", event_views.event_create, name="create"),
    path("join/", registration_views.events_to_join, name="join_list"),
    path("<int:pk>/join/", registration_views.event_join, name="join"),
    path("<int:pk>/meet/", request_views.event_meet, name="meet"),
    re_path(
        r"^(?P<pk>[0-9]+)/meet/shortlist/(?P<action>add|remove)/$",
        request_views.shortlist_change,
        name="shortlist",
    ),
    path("<int:pk>/", booking_views.event_detail, name="detail"),
    path("<int:pk>/edit/", event_views.event_edit, name="edit"),
    path("<int:pk>/programme/", programme_views.event_programme, name="programme"),
    path("<int:pk>/sessions/", programme_views.programme_sessions, name="programme_sessions"),
    path(
        "<int:pk>/sessions/<int:session_pk>/edit/",
        programme_views.programme_session_edit,
        name="programme_session_edit",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/delete/",
        programme_views.programme_session_delete,
        name="programme_session_delete",
    ),
    re_path(r"^(?P<pk>[0-9]+)/(?P<action>publish|unpublish)/$", event_views.event_publish, name="publish"),
    path("<int:pk>/reopen/", event_views.event_reopen, name="reopen"),
    path("<int:pk>/reopen/end/", event_views.event_reopening_end, name="reopening_end"),
    path("<int:pk>/schedule/", booking_views.schedule_run, name="schedule"),
    path("<int:pk>/grid/", grid_views.event_grid, name="grid"),
    path("<int:pk>/log/", views.consultation_log, name="log"),
    path("<int:pk>/check-in/", check_in_views.event_check_in, name="check_in"),
    path(
        "<int:pk>/check-in/tables/<int:table_pk>/",
        meeting_start_views.table_check_in,
        name="table_check_in",
    ),
    path("<int:pk>/board/", board_views.event_board, name="board"),
    path("<int:pk>/board/walk-in/", board_views.walk_in, name="walk_in"),
    path("<int:pk>/meetings/new/", grid_views.meeting_create, name="meeting_create"),
    re_path(
        r"^(?P<pk>[0-9]+)/meetings/(?P<action>lock|unlock)/$",
        grid_views.meetings_lock,
        name="meetings_lock",
    ),
    path("<int:pk>/meetings/<int:meeting_pk>/edit/", grid_views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/meetings/<int:meeting_pk>/cancel/", grid_views.meeting_cancel, name="meeting_cancel"),
    path(
        "<int:pk>/change-requests/<int:request_pk>/",
        change_views.meeting_change_answer,
        name="meeting_change_answer",
    ),
    path("<int:pk>/registrations/", registration_views.registration_list, name="registrations"),
    path("<int:pk>/registrations/new/", registration_views.registration_create, name="registration_create"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/edit/",
        registration_views.registration_edit,
        name="registration_edit",
    ),
    re_path(
        r"^(?P<pk>[0-9]+)/registrations/(?P<registration_pk>[0-9]+)/(?P<decision>confirm|withdraw)/$",
        booking_views.registration_decide,
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
        booking_views.meeting_request_answer,
        name="request_answer",
    ),
    path("<int:pk>/suggestions/", booking_views.event_suggestions, name="suggestions"),
    path("<int:pk>/requests/", booking_views.meeting_request_create, name="request_create"),
]
