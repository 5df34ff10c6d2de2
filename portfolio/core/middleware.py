from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.utils import timezone

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


AUTH_STARTED = "_auth_started"
SESSION_ENDED_MESSAGE = "Your session has ended. Sign in again to go on."


class SessionTimeoutMiddleware:
    """Sign a session out ``SESSION_ABSOLUTE_TIMEOUT`` seconds after it signed in, however active it has been.

    The idle limit is Django's own (``SESSION_COOKIE_AGE``, renewed by every request); Django has no
    absolute one. The sign-in time is stamped into the session at the end of the request that signs in
    (or, for a session older than this middleware, of its next request). A signed-out request goes on as
    anonymous, so the login check that follows sends a page to the login page and the API answers 401/403.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = timezone.now().timestamp()
        # Only sessions that hold a sign-in: a token-authenticated API request has none, and must not get one.
        started = request.session.get(AUTH_STARTED) if SESSION_KEY in request.session else None
        if started is not None and now - started >= settings.SESSION_ABSOLUTE_TIMEOUT:
            logout(request)
            if not request.path_info.startswith(API_PREFIXES):
                messages.info(request, SESSION_ENDED_MESSAGE)
        response = self.get_response(request)
        if SESSION_KEY in request.session and AUTH_STARTED not in request.session:
            request.session[AUTH_STARTED] = now
        return response
