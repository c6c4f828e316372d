"""What the buyer is told, in the buyer's language (R30, R36: the buyer is told of every decision).

Callers pass lazy strings (``gettext_lazy``) with ``%(name)s`` placeholders and the values apart; the text is
translated and filled here, switched to the buyer's language, so no call site wraps itself in
``override(language_for(...))``. ``%(number)s`` is always the application's number. Values may be lazy too
(``subsidy_text(application)``, a choice's label): they are read in the buyer's language as well.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import override

from catalog.models import FundSource
from catalog.money import format_yuan
from notifications.services import Message, language_for, notify

from .models import Application


def in_buyer_language(application: Application, text, **params) -> str:
    """``text`` (lazy) translated into the buyer's language and filled with ``params`` and the number."""
    with override(language_for(application.buyer)):
        values = {"number": application.number, **params}
        return str(text) % {key: str(v) if isinstance(v, Promise) else v for key, v in values.items()}


def buyer_message(application: Application, subject, body, *, link: str = "", **params) -> Message:
    """A message to the buyer about the application, linking to its page unless ``link`` says otherwise, written in
    the buyer's language."""
    return Message(
        user=application.buyer,
        subject=in_buyer_language(application, subject, **params),
        body=in_buyer_language(application, body, **params),
        link=link or reverse("apply:application", args=[application.pk]),
    )


def tell_buyer(application: Application, subject, body, *, link: str = "", **params) -> None:
    """``buyer_message`` handed to ``notify`` in the caller's transaction (sent after commit)."""
    message = buyer_message(application, subject, body, link=link, **params)
    notify(user=message.user, subject=message.subject, body=message.body, link=message.link)


def _split_text(amounts: dict[str, Decimal]) -> str:
    return _("central funds %(c)s yuan, municipal funds %(m)s yuan, district funds %(d)s yuan") % {
        "c": format_yuan(amounts[FundSource.CENTRAL]),
        "m": format_yuan(amounts[FundSource.MUNICIPAL]),
        "d": format_yuan(amounts[FundSource.DISTRICT]),
    }


def _subsidy_text(application: Application) -> str:
    return _("Your subsidy: %(total)s yuan (%(split)s).") % {
        "total": format_yuan(application.total_amount),
        "split": _split_text(application.amounts_by_source),
    }


#: "central funds 15,300.00 yuan, municipal funds 3,000.00 yuan, district funds 0.00 yuan", read in the language
#: in force where it is shown (lazy).
split_text = lazy(_split_text, str)
#: "Your subsidy: 18,300.00 yuan (central funds …, municipal funds …, district funds …).": what the buyer gets, said
#: in every message about money (lazy).
subsidy_text = lazy(_subsidy_text, str)
