from django.urls import path

from mofan.dues import views

app_name = "dues"
urlpatterns = [
    path("", views.MineView.as_view(), name="mine"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    path("orgs/<int:pk>/", views.OrgMonthView.as_view(), name="org"),
    path(
        "orgs/<int:pk>/<int:year>-<int:month>.xlsx",
        views.OrgExportView.as_view(),
        name="org_export",
    ),
    path(
        "orgs/<int:pk>/<int:year>.xlsx", views.OrgYearExportView.as_view(), name="org_year_export"
    ),
    path("orgs/<int:pk>/import/", views.ImportView.as_view(), name="import"),
    path("members/<int:pk>/", views.MemberView.as_view(), name="member"),
]
