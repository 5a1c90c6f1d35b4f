from django.urls import path

from mofan.discipline import views

app_name = "discipline"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("leads.xlsx", views.LeadsSheetView.as_view(), name="leads_sheet"),
    path("leads/<int:pk>/", views.LeadView.as_view(), name="lead"),
    path("leads/<int:pk>/record.docx", views.LeadDocumentView.as_view(), name="lead_record"),
    path("from-finding/<int:pk>/", views.FromFindingView.as_view(), name="from_finding"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("talks/", views.TalksView.as_view(), name="talks"),
    path("reports/", views.ReportRoundsView.as_view(), name="report_rounds"),
    path("reports/<int:pk>/", views.ReportRoundView.as_view(), name="report_round"),
    path("reports/<int:pk>/mine/", views.MyReportView.as_view(), name="my_report"),
    path("personal-reports/<int:pk>/", views.ReportView.as_view(), name="report"),
]
