from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from mofan.assessment.debrief_views import BallotEntryView, BallotView

urlpatterns = [
    path("", include("mofan.dashboard.urls")),
    path("accounts/", include("mofan.access.urls")),
    path("orgs/", include("mofan.orgs.urls")),
    path("", include("mofan.console.urls")),
    path("ledger/", include("mofan.ledger.urls")),
    path("meetings/", include("mofan.meetings.urls")),
    path("dues/", include("mofan.dues.urls")),
    path("members/", include("mofan.members.urls")),
    path("recruitment/", include("mofan.recruitment.urls")),
    path("assessment/", include("mofan.assessment.urls")),
    path("inspection/", include("mofan.inspection.urls")),
    path("discipline/", include("mofan.discipline.urls")),
    # 述职评议: the short address a ballot slip's QR code carries (no account needed).
    path("v/", BallotEntryView.as_view(), name="ballot_entry"),
    path("v/<str:code>/", BallotView.as_view(), name="ballot"),
    path("notifications/", include("mofan.notify.urls")),
    path("api/", include("mofan.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="core/swagger_ui.html"
        ),
        name="api-docs",
    ),
]

handler400 = "mofan.core.handlers.bad_request"
handler404 = "mofan.core.handlers.page_not_found"
handler500 = "mofan.core.handlers.server_error"
