from django.urls import path

from mofan.orgs.views import org_pages, people, pickers, roster, trees

app_name = "orgs"
urlpatterns = [
    path("tree/", trees.TreeView.as_view(), name="tree"),
    path("pick/<slug:kind>/", pickers.PickView.as_view(), name="pick"),
    path("units/", trees.UnitTreeView.as_view(), name="unit_tree"),
    path("units/<int:pk>/", org_pages.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", org_pages.UnitEditView.as_view(), name="unit_edit"),
    path("units/<int:pk>/<slug:kind>/", org_pages.UnitActionView.as_view(), name="unit_action"),
    path("party-orgs/<int:pk>/", org_pages.OrgDetailView.as_view(), name="org_detail"),
    path("party-orgs/<int:pk>/edit/", org_pages.OrgEditView.as_view(), name="org_edit"),
    path("party-orgs/<int:pk>/<slug:kind>/", org_pages.OrgActionView.as_view(), name="org_action"),
    path("roster/", roster.RosterView.as_view(), name="roster"),
    path("roster/export/", roster.RosterExportView.as_view(), name="roster_export"),
    path(
        "roster/export-for-import/",
        roster.RosterImportSheetView.as_view(),
        name="roster_import_sheet",
    ),
    path("roster/new/", roster.NewMemberView.as_view(), name="member_new"),
    path("roster/import/", roster.RosterImportView.as_view(), name="roster_import"),
    path(
        "roster/import/template/",
        roster.RosterImportTemplateView.as_view(),
        name="roster_import_template",
    ),
    path(
        "roster/import/errors/<str:name>/",
        roster.RosterImportErrorsView.as_view(),
        name="roster_import_errors",
    ),
    path("people/", people.PeopleView.as_view(), name="people"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", people.PersonEditView.as_view(), name="person_edit"),
    path(
        "people/<int:pk>/membership/", people.MembershipEditView.as_view(), name="membership_edit"
    ),
    path("party-orgs/<int:pk>/positions/new/", org_pages.AppointView.as_view(), name="appoint"),
    path(
        "party-orgs/<int:pk>/positions/<int:position_pk>/end/",
        org_pages.EndPositionView.as_view(),
        name="end_position",
    ),
]
