from django.urls import path

from mofan.inspection import views

app_name = "inspection"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("plans/<int:pk>/", views.PlanView.as_view(), name="plan"),
    path("rounds/<int:pk>/", views.RoundView.as_view(), name="round"),
    path("rounds/<int:pk>/letters/", views.LettersView.as_view(), name="letters"),
    path("targets/<int:pk>/", views.TargetView.as_view(), name="target"),
    path(
        "targets/<int:pk>/announcement.docx", views.AnnouncementView.as_view(), name="announcement"
    ),
]
