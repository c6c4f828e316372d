"""告知承诺书 (R29): the commitment letter a buyer signs on submission. The text shown is stored with the
application, word for word, with its version, the signer and the time."""

from django.utils.translation import gettext as _

VERSION = "2024-1"


def commitment_letter() -> tuple[str, str]:
    """(version, text) in the active language."""
    text = _(
        "I apply for the agricultural machinery purchase subsidy and promise that:\n"
        "1. I bought the machine named in this application myself, it is in my possession, and I use it for "
        "agricultural production;\n"
        "2. the purchase, the invoice, the price, the payment and every document I upload are true, and the "
        "machine has not been subsidised before;\n"
        "3. I have not colluded with the seller to raise the price, split the invoice or obtain the subsidy by any "
        "other improper means;\n"
        "4. I accept the district's verification, the public notice of this application and later sampling checks;\n"
        "5. if anything I declared is false, the subsidy will be recovered and I accept the consequences under the "
        "law, including being barred from the subsidy."
    )
    return VERSION, text
