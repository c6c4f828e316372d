"""Names typed by people: a person's or organisation's name, a bank's name, and the payee rule of 直补到卡(户).

A name holds the characters a name can hold (Chinese characters, Latin letters, the middle dot of minority and
foreign names, spaces; an organisation or a bank also digits, brackets, hyphens and 、), starts with a letter, and
so can never be read as a spreadsheet formula or carry markup. The payee of a subsidy is the buyer: the farmer in
person, or the organisation itself (R36, 直补到卡(户)).
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

LETTER = r"A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
NAME = re.compile(rf"^[{LETTER}][{LETTER}0-9 ·•.()（）\-、&]*$")


def normalised(name: str) -> str:
    """For comparing names: no spaces, brackets and dots in one width."""
    table = str.maketrans({"（": "(", "）": ")", "•": "·", "．": "."})
    return "".join((name or "").translate(table).split()).casefold()


def validate_name(value: str) -> None:
    if value and not NAME.match(value):
        raise forms.ValidationError(
            _("Use only the characters of a name: Chinese characters, letters, digits, spaces, · ( ) - and 、."),
            code="name_characters",
        )


class NameField(forms.CharField):
    """A person's, an organisation's or a bank's name (a form field that refuses anything else)."""

    default_validators = [validate_name]

    def to_python(self, value):
        return " ".join(super().to_python(value).split())  # tabs, new lines and runs of spaces: one space


def check_payee(payee_name: str, buyer) -> None:
    """R36 直补到卡(户): the account is the buyer's own, or for an organisation the organisation's."""
    if buyer is None or not payee_name or not buyer.display_name:
        return
    if normalised(payee_name) != normalised(buyer.display_name):
        if buyer.is_organisation:
            message = _("The account must be in the organisation's own name: %(name)s.")
        else:
            message = _("The account must be in your own name: %(name)s.")
        raise forms.ValidationError(message, code="payee_not_buyer", params={"name": buyer.display_name})
