from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("<int:pk>/suggestions/", views.event_suggestions, name="suggestions"),
    path("<int:pk>/requests/", views.meeting_request_create, name="request_create"),
]
