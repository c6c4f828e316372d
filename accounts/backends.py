import re

from django.contrib.auth.backends import ModelBackend

from .models import User

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class UsernameOrMobileBackend(ModelBackend):
    """Officials sign in with a user name; buyers may also use the mobile number they registered with."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        username = username.strip()
        user = None
        if MOBILE_RE.match(username):
            user = User.objects.with_mobile(username).first()
        if user is None:
            user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not tell who exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
