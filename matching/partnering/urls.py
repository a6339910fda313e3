from django.urls import path

from matching.partnering import views

app_name = "partnering"

urlpatterns = [
    path("", views.request_list, name="requests"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="request"),
    path("<int:pk>/answer/", views.request_answer, name="answer"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="withdraw"),
    path("<int:pk>/move/", views.request_move, name="move"),
    path("<int:pk>/move/answer/", views.request_move_answer, name="move_answer"),
    path("<int:pk>/meeting.ics", views.request_ics, name="ics"),
    path("inbox.json", views.inbox_count_json, name="inbox_count"),
    path("messages/", views.conversation_list, name="conversations"),
    path("messages/<int:pk>/", views.conversation_detail, name="conversation"),
]
