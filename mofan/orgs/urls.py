from django.urls import path

from mofan.orgs import views

app_name = "orgs"
urlpatterns = [
    path("tree/", views.TreeView.as_view(), name="tree"),
    path("units/", views.UnitTreeView.as_view(), name="unit_tree"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("units/<int:pk>/<slug:kind>/", views.UnitActionView.as_view(), name="unit_action"),
    path("party-orgs/<int:pk>/", views.OrgDetailView.as_view(), name="org_detail"),
    path("party-orgs/<int:pk>/edit/", views.OrgEditView.as_view(), name="org_edit"),
    path("party-orgs/<int:pk>/<slug:kind>/", views.OrgActionView.as_view(), name="org_action"),
    path("roster/", views.RosterView.as_view(), name="roster"),
    path("roster/export/", views.RosterExportView.as_view(), name="roster_export"),
    path("roster/new/", views.NewMemberView.as_view(), name="member_new"),
    path("roster/import/", views.RosterImportView.as_view(), name="roster_import"),
    path(
        "roster/import/template/",
        views.RosterImportTemplateView.as_view(),
        name="roster_import_template",
    ),
    path(
        "roster/import/errors/<str:name>/",
        views.RosterImportErrorsView.as_view(),
        name="roster_import_errors",
    ),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/membership/", views.MembershipEditView.as_view(), name="membership_edit"),
    path("people/<int:pk>/transfer/", views.TransferView.as_view(), name="membership_transfer"),
    path("party-orgs/<int:pk>/positions/new/", views.AppointView.as_view(), name="appoint"),
    path(
        "party-orgs/<int:pk>/positions/<int:position_pk>/end/",
        views.EndPositionView.as_view(),
        name="end_position",
    ),
]
