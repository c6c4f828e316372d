"""The SMS gateway as an interface. No provider is wired: the default backend writes to an outbox table that an
administrator reads in the admin. A provider is added as a subclass and named in ``settings.SMS_BACKEND``."""

import sys

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.crypto import mask_phone

from .models import SmsMessage
from .secrets import masked


class BaseSmsBackend:
    """Send one text message to one mobile number; raise on failure (the delivery is then retried)."""

    def send(self, *, phone: str, text: str) -> None:
        raise NotImplementedError


class OutboxBackend(BaseSmsBackend):
    """Writes the message to the SMS outbox (``SmsMessage``), phone number encrypted and any password-reset link
    masked: the outbox records that a message was sent, it never hands an administrator a way into an account."""

    def send(self, *, phone: str, text: str) -> None:
        SmsMessage.objects.create(phone=phone, text=masked(text))  # no live reset link in the outbox
        if settings.SMS_ECHO:  # the embedded default: whoever runs it reads a registration code in the terminal
            print(f"SMS to {mask_phone(phone)}: {masked(text)}", file=sys.stderr, flush=True)


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
