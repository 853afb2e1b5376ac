from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from doudi.api import api

admin.site.site_header = "兜底 · 社会救助综合管理信息平台"
admin.site.site_title = "兜底管理后台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("reviews/", include("doudi.reviews.urls")),
    path("", include("doudi.web.urls")),
]
