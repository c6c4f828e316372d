"""Business operations on accounts: registration, password reset, revealing personal data (each one transaction)."""

import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications.services import language_for, notify

from . import scope
from .backends import MOBILE_RE
from .models import BuyerKind, District, PersonalDataAccess, Role, User


def register_buyer(
    *,
    buyer_kind: str,
    display_name: str,
    district: District,
    mobile: str,
    password: str = "",
    password_hash: str = "",
    id_number: str = "",
    credit_code: str = "",
    email: str = "",
    language: str = "",
) -> User:
    """Create a buyer's account (R3). The form has checked the numbers; the database keeps them unique. Messages
    go out in ``language``, the one the buyer registered in. The password comes as typed, or as the hash kept while
    the mobile number was being confirmed (``accounts.mobile_check``)."""
    user = User(
        language=language if language in dict(settings.LANGUAGES) else "",
        username=f"buyer-{secrets.token_hex(5)}",
        role=Role.BUYER,
        buyer_kind=buyer_kind,
        display_name=display_name.strip(),
        district=district,
        email=email,
        credit_code=credit_code if buyer_kind != BuyerKind.INDIVIDUAL else "",
    )
    user.mobile = mobile
    if buyer_kind == BuyerKind.INDIVIDUAL:
        user.id_number = id_number
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    with transaction.atomic():
        user.save()
        with override(language_for(user)):
            _notify_welcome(user)
    return user


def _notify_welcome(user: User) -> None:
    notify(
        user=user,
        subject=_("Welcome to the agricultural machinery subsidy service"),
        body=_(
            "Your account is ready. After you buy a machine, apply here for the subsidy; "
            "we will tell you of every decision by text message and in this inbox."
        ),
        link=reverse("apply:home"),
        channels=("email",),
    )


def find_account(login: str) -> User | None:
    login = login.strip()
    if not login:
        return None
    if MOBILE_RE.match(login):
        found = User.objects.with_mobile(login).filter(is_active=True).first()
        if found:
            return found
    return User.objects.filter(Q(username=login) | Q(email__iexact=login), is_active=True).first()


def request_password_reset(*, login: str, base_url: str) -> None:
    """Send a reset link by e-mail and text message. Says nothing about whether the account exists."""
    user = find_account(login)
    if user is None or not (user.email or user.mobile_encrypted):
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url + reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    with override(language_for(user)):
        notify(
            user=user,
            subject=_("Reset your password"),
            body=_(
                "Open this link within two hours to choose a new password: %(link)s. "
                "If you did not ask for it, ignore this message."
            )
            % {"link": link},
            channels=("email", "sms"),
        )


def reveal_personal_data(*, viewer: User, subject: User, purpose: str) -> dict[str, str]:
    """Show an official a buyer's full ID and mobile numbers, and record that they saw them (PIPL Art. 51, R45)."""
    decision = scope.may_see_full_personal_data(viewer, subject)
    if not decision:
        raise PermissionDenied(decision.reason)
    revealed = {"mobile": subject.mobile, "id_number": subject.id_number}
    with transaction.atomic():
        for field, value in revealed.items():
            if value:
                PersonalDataAccess.objects.create(viewer=viewer, subject=subject, field=field, purpose=purpose)
    return revealed


def remember_language(user: User, language: str) -> None:
    """The user chose a language on the site: their messages are written in it from now on."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
