from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware

API_PREFIXES = ("/api/v1/", "/api/schema/")
# Pages rendered by DRF views, which DRF marks "login not required" for its own auth.
DRF_PAGES = ("/api/docs/",)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Send anonymous page requests to the login page.

    The API answers anonymous requests itself (401 from DRF), so it is exempt here;
    every API view still requires authentication through DRF's default permission.
    The Swagger page is a page, so it redirects like the others.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        path = request.path_info
        if path.startswith(API_PREFIXES):
            return None
        if path.startswith(DRF_PAGES) and not request.user.is_authenticated:
            return self.handle_no_permission(request, view_func)
        return super().process_view(request, view_func, view_args, view_kwargs)
