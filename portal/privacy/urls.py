from django.urls import path

from portal.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.consents, name="consents"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data.json", views.my_data_json, name="my_data_json"),
    path("delete-account/", views.deletion_request, name="deletion_request"),
    path("delete-account/withdraw/", views.deletion_request_withdraw, name="deletion_request_withdraw"),
]
