from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from portfolio.core.views import SchemaView, healthz, not_found
from portfolio.reports.views import home

api_v1 = [
    path("", include("portfolio.core.api.urls")),
    path("", include("products.api.urls")),
    path("", include("programs.api.urls")),
    path("", include("risks.api.urls")),
    path("", include("portfolio.reports.api.urls")),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("products/", include("products.urls")),
    path("", include("programs.urls")),
    path("risks/", include("risks.urls")),
    path("reports/", include("portfolio.reports.report_urls")),
    path("", include("portfolio.reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's init script as its own request (?script), so no inline script is needed.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="core/api_docs.html"),
        name="api-docs",
    ),
]

handler404 = not_found
