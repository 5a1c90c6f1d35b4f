from django.urls import path

from mofan.assessment import check_views, debrief_views, duty_views, report_views, views

app_name = "assessment"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("schemes/new/", views.SchemeNewView.as_view(), name="scheme_new"),
    path("schemes/<int:pk>/", views.SchemeView.as_view(), name="scheme"),
    path(
        "schemes/<int:pk>/indicators/<int:indicator_pk>/",
        views.IndicatorView.as_view(),
        name="indicator",
    ),
    path("schemes/<int:pk>/copy/", views.CopyView.as_view(), name="copy"),
    path("schemes/<int:pk>/start/", views.StartView.as_view(), name="start"),
    path("rounds/<int:pk>/", views.RoundView.as_view(), name="round"),
    path("rounds/<int:pk>/results.xlsx", views.ResultsExportView.as_view(), name="results"),
    path("rounds/<int:pk>/bulletin.docx", views.BulletinView.as_view(), name="bulletin"),
    path("targets/<int:pk>/", views.TargetView.as_view(), name="target"),
    path("targets/<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("scores/<int:pk>/records/", views.DrillView.as_view(), name="drill"),
    path("scores/<int:pk>/<slug:op>/", views.ScoreActionView.as_view(), name="score_action"),
    path("evidence/<int:pk>/", views.EvidenceFileView.as_view(), name="evidence"),
    path("debriefs/new/", debrief_views.DebriefNewView.as_view(), name="debrief_new"),
    path("debriefs/<int:pk>/", debrief_views.DebriefView.as_view(), name="debrief"),
    path("debriefs/<int:pk>/slips/", debrief_views.SlipsView.as_view(), name="debrief_slips"),
    path(
        "debriefs/<int:pk>/reports/<int:debriefer_pk>/",
        report_views.ReportView.as_view(),
        name="debrief_report",
    ),
    path(
        "debriefs/<int:pk>/reports/<int:debriefer_pk>/file/",
        report_views.ReportFileView.as_view(),
        name="debrief_report_file",
    ),
    path(
        "debriefs/<int:pk>/reports/<int:debriefer_pk>/sheet.docx",
        report_views.ReportSheetView.as_view(),
        name="debrief_sheet",
    ),
    path("annual/", report_views.AnnualListView.as_view(), name="annuals"),
    path("annual/<int:pk>/", report_views.AnnualView.as_view(), name="annual"),
    path("annual/<int:pk>/file/", report_views.AnnualFileView.as_view(), name="annual_file"),
    path(
        "annual/<int:pk>/appendix.docx",
        report_views.AnnualAppendixView.as_view(),
        name="annual_appendix",
    ),
    path("awards/new/", report_views.AwardNewView.as_view(), name="award_new"),
    path("awards/<int:pk>/", report_views.AwardView.as_view(), name="award"),
    path(
        "awards/<int:pk>/decision.docx",
        report_views.AwardDecisionView.as_view(),
        name="award_decision",
    ),
    path(
        "awards/candidates/<int:pk>/file/",
        report_views.CandidateFileView.as_view(),
        name="candidate_file",
    ),
    path("checks/", check_views.ChecksView.as_view(), name="checks"),
    path("checks/new/", check_views.CheckNewView.as_view(), name="check_new"),
    path("checks/<int:pk>/", check_views.CheckView.as_view(), name="check"),
    path(
        "checks/<int:pk>/sheet/<int:org_pk>/", check_views.SheetView.as_view(), name="check_sheet"
    ),
    path("duties/", duty_views.DutiesView.as_view(), name="duties"),
    path("duties/new/", duty_views.DutyNewView.as_view(), name="duty_new"),
    path("duties/<int:pk>/", duty_views.DutyView.as_view(), name="duty"),
]
