"""A link that lets its holder in (a password-reset link) is never stored or shown in clear (R45).

The inbox keeps the message with the link masked and the link itself encrypted (``Notification.secret``), which
only the e-mail or SMS delivery decrypts; the SMS outbox, which stands in for a gateway, keeps the text masked, so
no administrator reading it can take over an account.
"""

import re

RESET_LINK = re.compile(r"(/accounts/reset/)[^\s/]+/[^\s/]+/?")
MASK = r"\1******/"


def masked(text: str) -> str:
    """The text with every password-reset link's id and token replaced by asterisks."""
    return RESET_LINK.sub(MASK, text or "")
