from django.urls import path

from mofan.members import views

app_name = "members"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("receive/", views.ReceiveView.as_view(), name="receive"),
    path("transfers/<int:pk>/", views.TransferView.as_view(), name="transfer"),
    path("transfers/<int:pk>/letter.docx", views.LetterView.as_view(), name="letter"),
    path(
        "transfers/<int:pk>/<slug:action>/",
        views.TransferActionView.as_view(),
        name="transfer_action",
    ),
    path("people/<int:pk>/transfer/", views.IssueView.as_view(), name="issue"),
    path("people/<int:pk>/standing/<slug:kind>/", views.StandingView.as_view(), name="standing"),
]
