from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc

from .backends import MOBILE_RE
from .models import BuyerKind, District, User


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    error_messages = {
        "invalid_login": _("The user name, mobile number or password is not right. Please try again."),
        "inactive": _("This account has been switched off. Please call your district office."),
    }


def _valid_id_number(value: str) -> str:
    """GB 11643: 18 characters, a real birth date, a known place code, and the check digit."""
    value = value.strip().upper()
    if not ric.is_valid(value):
        raise forms.ValidationError(
            _("This is not a valid resident ID number. Please check the 18 characters, including the last one."),
            code="invalid_id_number",
        )
    return value


def _valid_credit_code(value: str) -> str:
    """GB 32100: 18 characters with the check character."""
    value = value.strip().upper()
    if not uscc.is_valid(value):
        raise forms.ValidationError(
            _("This is not a valid unified social credit code. Please check the 18 characters."),
            code="invalid_credit_code",
        )
    return value


class RegistrationForm(forms.Form):
    """A buyer registers with a mobile number and a password and gives real-name data (R3)."""

    buyer_kind = forms.ChoiceField(
        label=_("Who is applying?"),
        choices=BuyerKind.choices,
        widget=forms.RadioSelect,
        initial=BuyerKind.INDIVIDUAL,
        error_messages={"required": _("Choose whether you apply as a farmer or for an organisation.")},
    )
    display_name = forms.CharField(
        label=_("Real name, or the organisation's full registered name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name as on your ID card, or the organisation's registered name.")},
    )
    id_number = forms.CharField(
        label=_("Resident ID number"),
        help_text=_("18 characters; the last may be X."),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "autocapitalize": "characters"}),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        help_text=_("18 characters, as on the business licence."),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        help_text=_("Where you are registered or farm. You choose the district again for each application."),
        queryset=District.objects.filter(active=True),
        empty_label=_("Choose a district"),
        error_messages={"required": _("Choose the district where you are registered or farm.")},
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        help_text=_("You sign in with it, and we send you text messages about your applications."),
        max_length=11,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
        error_messages={"required": _("Enter your mobile number: we send the code to it.")},
    )
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Choose a password of at least 8 characters.")},
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again, to be sure it is right.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each is required for its kind of buyer, and the page shows only the one that kind needs.
        self.fields["id_number"].required_when = BuyerKind.INDIVIDUAL
        self.fields["credit_code"].required_when = "organisation"

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip()
        if not MOBILE_RE.match(mobile):
            raise forms.ValidationError(_("Enter an 11-digit mainland mobile number, such as 13812345678."))
        if User.objects.with_mobile(mobile).exists():
            raise forms.ValidationError(
                _("This mobile number is already registered. Sign in, or reset your password if you forgot it.")
            )
        return mobile

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("buyer_kind")
        if kind == BuyerKind.INDIVIDUAL:
            cleaned["credit_code"] = ""
            raw = cleaned.get("id_number", "")
            if not raw:
                self.add_error("id_number", _("Enter your resident ID number."))
            else:
                try:
                    number = _valid_id_number(raw)
                except forms.ValidationError as error:
                    self.add_error("id_number", error)
                else:
                    if User.objects.with_id_number(number).exists():
                        self.add_error("id_number", _("An account with this ID number already exists."))
                    cleaned["id_number"] = number
        elif kind:
            cleaned["id_number"] = ""
            raw = cleaned.get("credit_code", "")
            if not raw:
                self.add_error("credit_code", _("Enter the organisation's unified social credit code."))
            else:
                try:
                    code = _valid_credit_code(raw)
                except forms.ValidationError as error:
                    self.add_error("credit_code", error)
                else:
                    if User.objects.filter(credit_code=code).exists():
                        self.add_error("credit_code", _("An account with this credit code already exists."))
                    cleaned["credit_code"] = code
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        if p1:
            probe = User(display_name=cleaned.get("display_name", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PasswordResetRequestForm(forms.Form):
    login = forms.CharField(
        label=_("User name, mobile number or e-mail"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


class ProfileForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), required=False)


class MobileCodeForm(forms.Form):
    """The 6-digit code texted to the mobile number being registered (R3)."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        min_length=6,
        error_messages={
            "required": _("Enter the 6-digit code from the text message."),
            "min_length": _("The code has 6 digits."),
            "max_length": _("The code has 6 digits."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code has 6 digits."))
        return code
