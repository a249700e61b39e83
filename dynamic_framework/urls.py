from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from dynamic_framework.categories import api as categories_api
from dynamic_framework.core import api as core_api
from dynamic_framework.geography import api as geography_api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("regions", geography_api.RegionViewSet, basename="region")
router.register("pcc-areas", geography_api.PccAreaViewSet, basename="pcc-area")
router.register("probation-delivery-units", geography_api.DeliveryUnitViewSet, basename="delivery-unit")
router.register("service-categories", categories_api.ServiceCategoryViewSet, basename="service-category")
router.register("referral-categories", categories_api.ReferralCategoryViewSet, basename="referral-category")
router.register("desired-outcomes", categories_api.DesiredOutcomeViewSet, basename="desired-outcome")

# Each app adds its own API routes here (see <app>/api.py: register(router)).
from dynamic_framework.accounts import api as accounts_api  # noqa: E402
from dynamic_framework.calloffs import api as calloffs_api  # noqa: E402
from dynamic_framework.contracts import api as contracts_api  # noqa: E402
from dynamic_framework.insights import api as insights_api  # noqa: E402
from dynamic_framework.organisations import api as organisations_api  # noqa: E402
from dynamic_framework.payments import api as payments_api  # noqa: E402
from dynamic_framework.qualification import api as qualification_api  # noqa: E402

organisations_api.register(router)
accounts_api.register(router)
insights_api.register(router)
qualification_api.register(router)
calloffs_api.register(router)
contracts_api.register_routes(router)
payments_api.register_routes(router)

urlpatterns = [
    path("", include("dynamic_framework.core.urls")),
    path("", include("dynamic_framework.geography.urls")),
    path("", include("dynamic_framework.categories.urls")),
    path("", include("dynamic_framework.organisations.urls")),
    path("", include("dynamic_framework.accounts.urls")),
    path("", include("dynamic_framework.insights.urls")),
    path("", include("dynamic_framework.qualification.urls")),
    path("", include("dynamic_framework.calloffs.urls")),
    path("", include("dynamic_framework.contracts.urls")),
    path("", include("dynamic_framework.payments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", core_api.api_docs, name="api-docs-page"),
    path("api/v1/", include((router.urls, "api"), namespace="api")),
]

handler400 = "dynamic_framework.core.views.bad_request"
handler403 = "dynamic_framework.core.views.permission_denied"
handler404 = "dynamic_framework.core.views.page_not_found"
handler500 = "dynamic_framework.core.views.server_error"
