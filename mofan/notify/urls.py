from django.urls import path

from mofan.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("webhooks/", views.WebhooksView.as_view(), name="webhooks"),
]
