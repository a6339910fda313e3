from django.urls import path

from matching.demands import views

app_name = "demands"
urlpatterns = [
    path("", views.demand_list, name="list"),
    path("mine/", views.demand_mine, name="mine"),
    path("new/", views.demand_create, name="create"),
    path("<int:pk>/", views.demand_detail, name="detail"),
    path("<int:pk>/edit/", views.demand_edit, name="edit"),
    path("<int:pk>/publish/", views.demand_publish, name="publish"),
    path("<int:pk>/close/", views.demand_close, name="close"),
]
