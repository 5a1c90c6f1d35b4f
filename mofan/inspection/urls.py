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
    path("evidence/<int:pk>/", views.EvidenceView.as_view(), name="evidence"),
    path("targets/<int:pk>/feedback.docx", views.FeedbackView.as_view(), name="feedback"),
    path("rounds/<int:pk>/findings.xlsx", views.FindingsSheetView.as_view(), name="findings_sheet"),
    path("rectifications/<int:pk>/", views.RectificationView.as_view(), name="rectification"),
    path("rectifications/<int:pk>/papers/<str:paper>/", views.PaperView.as_view(), name="paper"),
    path(
        "rectifications/<int:pk>/disclosures/<int:disclosure>.docx",
        views.DisclosureDocumentView.as_view(),
        name="disclosure",
    ),  # fmt: skip
]
