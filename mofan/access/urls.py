from django.contrib.auth import views as auth_views
from django.urls import path

from mofan.access import views

app_name = "access"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("otp/", views.otp, name="otp"),
    path("token/", views.api_token, name="api_token"),
]
