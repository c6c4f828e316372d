import re

from django.contrib.auth.backends import ModelBackend

from .crypto import blind_index
from .models import User

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def account_for(login: str) -> User | None:
    """The account a sign-in names: by mobile number for a buyer, else by user name."""
    login = (login or "").strip()
    user = User.objects.with_mobile(login).first() if MOBILE_RE.match(login) else None
    return user or User.objects.filter(username=login).first()


def axes_username(request, credentials=None) -> str:
    """What django-axes counts failures against: the account's user name, whether its user name or its mobile was
    typed; for a name that is no account, a keyed hash of it (so no mobile number is ever stored in clear)."""
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = getattr(request, "POST", {}).get("username", "")
    user = account_for(typed)
    return user.username if user else "?" + blind_index((typed or "").strip())[:24]


class UsernameOrMobileBackend(ModelBackend):
    """Officials sign in with a user name; buyers may also use the mobile number they registered with."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = account_for(username)
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not tell who exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
