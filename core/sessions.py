"""Idle sessions end (issue 14, part 6): an official's after ``SESSION_IDLE_MINUTES_OFFICIAL`` without a request,
a buyer's (or a manufacturer's) after ``SESSION_IDLE_MINUTES_BUYER``. The time of the last request is kept in the
session: set at sign-in, then rewritten at most every sixth of the limit (so a page costs no session write, and
the limit holds to within a sixth); past the limit the user is signed out and sent to sign in again."""

from django.conf import settings
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

from accounts.models import Role

LAST_SEEN = "last_seen"
PUBLIC_ROLES = {Role.BUYER, Role.MANUFACTURER}


def idle_limit_seconds(user) -> int:
    minutes = (
        settings.SESSION_IDLE_MINUTES_BUYER if user.role in PUBLIC_ROLES else settings.SESSION_IDLE_MINUTES_OFFICIAL
    )
    return minutes * 60


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(timezone.now().timestamp())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > idle_limit_seconds(user):
                logout(request)
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= idle_limit_seconds(user) // 6:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def _signed_in(sender, request, user, **kwargs) -> None:
    if hasattr(request, "session"):
        request.session[LAST_SEEN] = int(timezone.now().timestamp())


user_logged_in.connect(_signed_in, dispatch_uid="core.sessions.signed_in")
