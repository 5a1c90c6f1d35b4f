from django.urls import path

from mofan.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.LedgerListView.as_view(), name="list"),
    path("mine/", views.MyTasksView.as_view(), name="mine"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("items/", views.AllItemsView.as_view(), name="items"),
    path("<int:pk>/bulk/", views.BulkActionView.as_view(), name="bulk"),
    path("<int:pk>/", views.LedgerDetailView.as_view(), name="detail"),
    path("<int:pk>/export.<slug:fmt>", views.LedgerExportView.as_view(), name="export"),
    path("<int:pk>/import/", views.LedgerImportView.as_view(), name="import"),
    path(
        "<int:pk>/import/errors/<str:name>/",
        views.LedgerImportErrorsView.as_view(),
        name="import_errors",
    ),
    path("<int:pk>/sources/new/", views.SourceCreateView.as_view(), name="source_new"),
    path("<int:pk>/items/new/", views.ItemCreateView.as_view(), name="item_new"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("<int:pk>/findings/new/", views.FindingCreateView.as_view(), name="finding_new"),
    path("sources/<int:pk>/", views.SourceView.as_view(), name="source"),
    path("findings/<int:pk>/", views.FindingView.as_view(), name="finding"),
    path(
        "items/<int:pk>/accountability/", views.AccountabilityView.as_view(), name="accountability"
    ),
    path("items/<int:pk>/<slug:what>/", views.ItemActionView.as_view(), name="item_action"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
]
