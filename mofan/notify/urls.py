from django.urls import path

from mofan.notify import views

app_name = "notify"
urlpatterns = [path("", views.inbox, name="inbox")]
