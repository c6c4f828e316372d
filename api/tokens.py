"""Tokens: made, shown once, stored hashed, expiring, revocable; every use recorded and counted for the limit.

Personal tokens belong to an official (created on the profile page); client tokens to a machine client issued by
the municipal agriculture bureau in the admin. Both are sent as ``Authorization: Bearer <token>``.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from accounts.models import Role, User

from .models import ApiClient, ApiToken, ApiTokenUse, ClientKind
from .problems import Problem

PREFIX = "sbt_"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_token(*, name: str, days: int, user=None, client=None) -> tuple[ApiToken, str]:
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        client=client,
        name=name.strip()[:100] or "API",
        prefix=secret[:12],
        key_hash=_hash(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, secret


def create_personal_token(*, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """An official's own token (the secret is returned once and never stored)."""
    if not user.is_authenticated or not user.is_official or not user.is_active:
        raise PermissionDenied(_("Only officials use the API with a personal token."))
    days = days or settings.API_TOKEN_DAYS
    if not 1 <= days <= 366:
        raise Problem(400, _("A token lives from 1 to 366 days."))
    return _new_token(name=name, days=days, user=user)


def revoke_token(*, token_id: int, user) -> ApiToken:
    """The owner revokes their own token (someone else's is not found)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise Http404
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def _ensure_bureau(user) -> None:
    if not (user.is_superuser or user.role == Role.CITY_AGRICULTURE):
        raise PermissionDenied(_("Machine clients are issued by the municipal agriculture bureau."))


def technical_account(client: ApiClient) -> User | None:
    """A treasury client acts as a district finance account that cannot sign in to the pages, so the payments
    services check its district and record it the way they record an officer."""
    if client.kind != ClientKind.TREASURY or client.account_id:
        return client.account
    account = User(
        username=f"api-client-{client.pk}",
        role=Role.DISTRICT_FINANCE,
        district=client.district,
        display_name=_("Treasury integration: %(name)s") % {"name": client.name},
    )
    account.set_unusable_password()
    account.save()
    ApiClient.objects.filter(pk=client.pk).update(account=account)
    client.account = account
    return account


def issue_client_token(*, client: ApiClient, by, name: str = "", days: int = 366) -> tuple[ApiToken, str]:
    """The municipal bureau issues a token to a machine client (shown once in the admin)."""
    _ensure_bureau(by)
    with transaction.atomic():
        if client.issued_by_id is None:
            ApiClient.objects.filter(pk=client.pk).update(issued_by=by)
        technical_account(client)
        return _new_token(name=name or client.name, days=days, client=client)


# --- Authentication, the use record and the per-minute limit --------------------------------------------------


def _check_body(request) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.API_MAX_BODY_BYTES:
        raise Problem(413, _("At most %(n)s bytes are read.") % {"n": settings.API_MAX_BODY_BYTES})


def _use(request, token: ApiToken) -> None:
    """Record the use, then refuse when the token has made more than its share this minute."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    ApiTokenUse.objects.create(
        token=token,
        at=now,
        method=request.method[:8],
        path=request.path[:300],
        address=request.META.get("REMOTE_ADDR") or None,
    )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    used = ApiTokenUse.objects.filter(token=token, at__gte=window).count()
    if used > settings.API_REQUESTS_PER_MINUTE:
        wait = 60 - now.second
        raise Problem(
            429,
            _("At most %(n)s requests a minute; try again in %(wait)s seconds.")
            % {"n": settings.API_REQUESTS_PER_MINUTE, "wait": wait},
            headers={"Retry-After": str(wait)},
        )


def _valid_token(secret: str):
    if not secret or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = ApiToken.objects.select_related("user", "client__account").filter(key_hash=_hash(secret)).first()
    if token is None or not token.is_valid():
        return None
    return token


class OfficialToken(HttpBearer):
    """An official's personal token; the request then reads as that official (``request.user``)."""

    def authenticate(self, request, token):
        found = _valid_token(token)
        if found is None or found.user is None or not found.user.is_active or not found.user.is_official:
            return None
        _use(request, found)
        request.user = found.user
        return found


class ClientToken(HttpBearer):
    """A machine client's token, of one kind (sales or treasury); ``request.api_client`` is its client."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def authenticate(self, request, token):
        _check_body(request)
        found = _valid_token(token)
        if found is None or found.client is None or not found.client.active or found.client.kind != self.kind:
            return None
        _use(request, found)
        request.api_client = found.client
        if found.client.account is not None:
            request.user = found.client.account
        return found
