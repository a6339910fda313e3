from django.urls import path

from matching.companies import views

app_name = "companies"
urlpatterns = [
    path("", views.company_list, name="list"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/brochure/", views.company_brochure, name="brochure"),
    path("<int:pk>/logo/", views.company_logo, name="logo"),
    path("<int:pk>/edit/", views.company_edit, name="edit"),
    path("<int:pk>/solutions/", views.company_solutions, name="solutions"),
    path("<int:pk>/solutions/<int:solution_pk>/references/", views.solution_references, name="references"),
]
