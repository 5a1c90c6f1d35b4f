from django.urls import path

from mofan.console import audit_views, views

app_name = "console"
urlpatterns = [
    path("accounts/users/", views.AccountsView.as_view(), name="accounts"),
    path("accounts/roles/", views.RolesView.as_view(), name="roles"),
    path("audit/", audit_views.AuditListView.as_view(), name="audit"),
    path("audit/export/", audit_views.AuditExportView.as_view(), name="audit_export"),
]
