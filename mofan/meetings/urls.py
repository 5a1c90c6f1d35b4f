from django.urls import path

from mofan.meetings.views import compliance, meetings, signin

app_name = "meetings"
urlpatterns = [
    path("", meetings.HomeView.as_view(), name="home"),
    path("compliance/", compliance.ComplianceView.as_view(), name="compliance"),
    path(
        "compliance/<int:pk>/<int:year>/<int:month>/",
        compliance.CellView.as_view(),
        name="cell",
    ),
    path("rules/", compliance.RulesView.as_view(), name="rules"),
    path("hours/", meetings.HoursView.as_view(), name="hours"),
    path("calendar/", meetings.CalendarView.as_view(), name="calendar"),
    path("orgs/<int:pk>/hours/", meetings.OrgHoursView.as_view(), name="org_hours"),
    path(
        "orgs/<int:pk>/<int:year>.<slug:fmt>",
        compliance.ExportView.as_view(),
        name="export",
    ),
    path("orgs/<int:pk>/", meetings.OrgView.as_view(), name="org"),
    path("orgs/<int:pk>/new/", meetings.NewMeetingView.as_view(), name="new"),
    path("orgs/<int:pk>/plan/<int:year>/<int:month>/", meetings.PlanView.as_view(), name="plan"),
    path("orgs/<int:pk>/topics/<int:year>/", meetings.TopicsView.as_view(), name="topics"),
    path("<int:pk>/", meetings.MeetingView.as_view(), name="meeting"),
    path("<int:pk>/minutes/", meetings.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/qr/", signin.QRView.as_view(), name="qr"),
    path(
        "<int:pk>/files/<int:file_pk>/<slug:variant>/",
        meetings.FileView.as_view(),
        name="file",
    ),
    path("<int:pk>/<slug:action>/", meetings.MeetingActionView.as_view(), name="action"),
    path("s/<str:token>/", signin.SignInView.as_view(), name="sign_in"),
]
