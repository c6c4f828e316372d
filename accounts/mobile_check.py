"""The mobile number is confirmed by a code sent by text message before an account is made (R3).

The registration waits in the visitor's session between the form and the code: the personal numbers encrypted,
the password as its hash, the code as a keyed hash, never in clear. A code is good for ``CODE_MINUTES`` minutes
and ``MAX_ATTEMPTS`` tries; a new one can be sent after ``RESEND_SECONDS`` seconds.
"""

import secrets
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from notifications.sms import get_backend

from . import crypto

SESSION_KEY = "pending_registration"
CODE_MINUTES = 10
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str = ""
    data: dict | None = None


def _digest(code: str) -> str:
    return salted_hmac("accounts.mobile_check", code).hexdigest()


def _send(session, mobile: str) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    pending = session[SESSION_KEY]
    pending.update(code=_digest(code), sent_at=time.time(), attempts=0)
    session.modified = True
    text = _("Your code for the Beijing machinery subsidy is %(code)s. It is good for %(minutes)s minutes.")
    get_backend().send(phone=mobile, text=text % {"code": code, "minutes": CODE_MINUTES})


def start(session, *, cleaned: dict) -> None:
    """Keep the registration form's answers and text a code to its mobile number."""
    session[SESSION_KEY] = {
        "buyer_kind": cleaned["buyer_kind"],
        "display_name": cleaned["display_name"],
        "district": cleaned["district"].pk,
        "mobile": crypto.encrypt(cleaned["mobile"]),
        "id_number": crypto.encrypt(cleaned["id_number"]),
        "credit_code": cleaned["credit_code"],
        "email": cleaned["email"],
        "password_hash": make_password(cleaned["password1"]),
    }
    _send(session, cleaned["mobile"])


def pending_answers(session) -> dict:
    """What the form had, to show it again when the buyer goes back to correct it (the password is typed again)."""
    pending = session.get(SESSION_KEY)
    if not pending:
        return {}
    keep = ("buyer_kind", "display_name", "district", "credit_code", "email")
    return {
        **{key: pending[key] for key in keep},
        "mobile": crypto.decrypt(pending["mobile"]),
        "id_number": crypto.decrypt(pending["id_number"]),
    }


def pending_mobile(session) -> str:
    pending = session.get(SESSION_KEY)
    return crypto.decrypt(pending["mobile"]) if pending else ""


def resend(session) -> Outcome:
    pending = session.get(SESSION_KEY)
    if not pending:
        return Outcome(False)
    wait = int(pending["sent_at"] + RESEND_SECONDS - time.time())
    if wait > 0:
        return Outcome(False, _("A new code can be sent in %(seconds)s seconds.") % {"seconds": wait})
    _send(session, crypto.decrypt(pending["mobile"]))
    return Outcome(True)


def confirm(session, code: str) -> Outcome:
    """The registration's answers when ``code`` is the one sent and still good; otherwise what to do."""
    pending = session.get(SESSION_KEY)
    if not pending:
        return Outcome(False)
    if time.time() - pending["sent_at"] > CODE_MINUTES * 60:
        message = _("The code has expired. Send a new code and enter it within %(minutes)s minutes.")
        return Outcome(False, message % {"minutes": CODE_MINUTES})
    if pending["attempts"] >= MAX_ATTEMPTS:
        return Outcome(False, _("The code was entered wrongly too many times. Send a new code."))
    pending["attempts"] += 1
    session.modified = True
    if not constant_time_compare(_digest(code.strip()), pending["code"]):
        return Outcome(False, _("The code is not right. Check the text message and enter its 6 digits."))
    del session[SESSION_KEY]
    data = dict(pending)
    data["mobile"] = crypto.decrypt(data["mobile"])
    data["id_number"] = crypto.decrypt(data["id_number"])
    for key in ("code", "sent_at", "attempts"):
        data.pop(key)
    return Outcome(True, data=data)
