from django.urls import path

from mofan.recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("orgs/<int:pk>/", views.OrgView.as_view(), name="org"),
    path("orgs/<int:pk>/new/", views.NewFileView.as_view(), name="new"),
    path("orgs/<int:pk>/year/<int:year>/", views.YearView.as_view(), name="year"),
    path("orgs/<int:pk>/year/<int:year>.xlsx", views.YearExportView.as_view(), name="year_export"),
    path("<int:pk>/", views.FileView.as_view(), name="file"),
    path("<int:pk>/publicity.docx", views.PublicityView.as_view(), name="publicity"),
    path("<int:pk>/approval/<slug:kind>.docx", views.ApprovalFormView.as_view(), name="approval"),
    path("<int:pk>/front-line/", views.FrontLineView.as_view(), name="front_line"),
    path("<int:pk>/documents/", views.DocumentsView.as_view(), name="documents"),
    path("<int:pk>/documents/<int:document_pk>/", views.DocumentView.as_view(), name="document"),
    path("<int:pk>/steps/<slug:kind>/", views.StepView.as_view(), name="step"),
]
