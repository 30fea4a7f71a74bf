from django.urls import include, path

from . import views

app_name = "cadres"

urlpatterns = [
    path("", views.cadre_list, name="list"),
    path("export.xlsx", views.cadre_list_export, name="list-export"),
    path("<int:pk>/", views.cadre_detail, name="detail"),
    path("<int:pk>/national-id/", views.cadre_reveal_id, name="reveal-id"),
    path("<int:pk>/edit/", views.cadre_edit, name="edit"),
    path("<int:pk>/photo/", views.cadre_photo, name="photo"),
    path("<int:pk>/move/", views.cadre_record_move, name="move"),
    path("roster/", include("cadres.roster.urls")),
    path("lrmx/", include("cadres.lrmx.urls")),
]
