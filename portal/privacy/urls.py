from django.urls import path

from portal.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.consents, name="consents"),
]
