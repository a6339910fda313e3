from django.urls import path

from . import views

app_name = "demands"
urlpatterns = [
    path("", views.demand_list, name="list"),
    path("<int:pk>/", views.demand_detail, name="detail"),
]
