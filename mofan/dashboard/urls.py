from django.urls import path

from mofan.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("cockpit/", views.cockpit_page, name="cockpit"),
]
