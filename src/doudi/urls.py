from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from doudi.administration.views.auth import LoginView, login_verify
from doudi.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", LoginView.as_view(), name="login"),
    path("login/verify/", login_verify, name="login_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("doudi.administration.urls")),
    path("regions/", include("doudi.administration.region_urls")),
    path("api/", api.urls),
    path("registry/", include("doudi.registry.urls")),
    path("audit/", include("doudi.audit.urls")),
    path("cases/", include("doudi.cases.urls")),
    path("relatives/", include("doudi.relatives.urls")),
    path("selfservice/", include("doudi.selfservice.urls")),
    path("temporary/", include("doudi.temporary.urls")),
    path("eligibility/", include("doudi.eligibility.urls")),
    path("verification/", include("doudi.verification.urls")),
    path("referrals/", include("doudi.referrals.urls")),
    path("payments/", include("doudi.payments.urls")),
    path("medical/", include("doudi.medical.urls")),
    path("reviews/", include("doudi.reviews.urls")),
    path("monitoring/", include("doudi.monitoring.urls")),
    path("hotline/", include("doudi.hotline.urls")),
    path("supervision/", include("doudi.supervision.urls")),
    path("open/", include("doudi.openness.urls")),
    path("desk/", include("doudi.reports.urls")),
    path("care/", include("doudi.care.urls")),
    path("socialforces/", include("doudi.socialforces.urls")),
    path("", include("doudi.web.urls")),
]
