from django.urls import path

from mofan.ledger.views import decomposition, items, ledgers, overview

app_name = "ledger"
urlpatterns = [
    path("", ledgers.LedgerListView.as_view(), name="list"),
    path("mine/", overview.MyTasksView.as_view(), name="mine"),
    path("board/", overview.BoardView.as_view(), name="board"),
    path("handovers/", overview.HandoversView.as_view(), name="handovers"),
    path("board/circular.<slug:fmt>", overview.CircularExportView.as_view(), name="board_circular"),
    path("items/", overview.AllItemsView.as_view(), name="items"),
    path("<int:pk>/bulk/", ledgers.BulkActionView.as_view(), name="bulk"),
    path("<int:pk>/", ledgers.LedgerDetailView.as_view(), name="detail"),
    path("<int:pk>/export.<slug:fmt>", ledgers.LedgerExportView.as_view(), name="export"),
    path("<int:pk>/import/", ledgers.LedgerImportView.as_view(), name="import"),
    path(
        "<int:pk>/import/errors/<str:name>/",
        ledgers.LedgerImportErrorsView.as_view(),
        name="import_errors",
    ),
    path("<int:pk>/sources/new/", ledgers.SourceCreateView.as_view(), name="source_new"),
    path("<int:pk>/decompose/", decomposition.DecomposeView.as_view(), name="decompose"),
    path(
        "sources/<int:pk>/decompose/<int:attachment>/",
        decomposition.SourceDecomposeView.as_view(),
        name="source_decompose",
    ),
    path(
        "decompositions/<int:pk>/",
        decomposition.DecompositionView.as_view(),
        name="decomposition",
    ),
    path(
        "decompositions/<int:pk>/candidates/<int:candidate_pk>/",
        decomposition.CandidateView.as_view(),
        name="candidate",
    ),
    path(
        "decompositions/<int:pk>/<slug:action>/",
        decomposition.DecompositionActionView.as_view(),
        name="decomposition_action",
    ),
    path("<int:pk>/items/new/", items.ItemCreateView.as_view(), name="item_new"),
    path("items/<int:pk>/", items.ItemDetailView.as_view(), name="item"),
    path("items/<int:pk>/edit/", items.ItemEditView.as_view(), name="item_edit"),
    path("items/<int:pk>/split/", items.ItemSplitView.as_view(), name="item_split"),
    path(
        "items/<int:pk>/split/sheet/",
        items.ItemSplitTemplateView.as_view(),
        name="item_split_template",
    ),
    path("<int:pk>/findings/new/", ledgers.FindingCreateView.as_view(), name="finding_new"),
    path("sources/<int:pk>/", ledgers.SourceView.as_view(), name="source"),
    path("findings/<int:pk>/", ledgers.FindingView.as_view(), name="finding"),
    path(
        "items/<int:pk>/accountability/", items.AccountabilityView.as_view(), name="accountability"
    ),
    path("items/<int:pk>/<slug:what>/", items.ItemActionView.as_view(), name="item_action"),
    path("attachments/<int:pk>/", items.AttachmentView.as_view(), name="attachment"),
]
