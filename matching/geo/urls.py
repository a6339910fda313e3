from django.urls import path

from matching.geo import views

app_name = "geo"
urlpatterns = [path("cities/", views.city_options, name="city_options")]
