from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("mofan.core.urls")),
    path("accounts/", include("mofan.access.urls")),
    path("orgs/", include("mofan.orgs.urls")),
    path("audit/", include("mofan.audit.urls")),
    path("ledger/", include("mofan.ledger.urls")),
    path("meetings/", include("mofan.meetings.urls")),
    path("notifications/", include("mofan.notify.urls")),
    path("api/", include("mofan.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
