"""The buyer's forms: one short form per step of the application (UI.md "The buyer").

Forms parse and check what was typed; the rules that decide (R10, R11, R27, R29, R39 …) live in the services.
"""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from accounts.selectors import town_choices, towns
from catalog.uploads import MAX_UPLOAD_BYTES
from core.names import NameField, check_payee

from .models import DocumentKind, Ground, PaymentMethod
from .rules import account_digits
from .services import tonnes

#: The documents a buyer uploads (verification photos are the office's).
BUYER_DOCUMENT_KINDS = [
    DocumentKind.INVOICE,
    DocumentKind.NAMEPLATE,
    DocumentKind.MACHINE,
    DocumentKind.IDENTITY,
    DocumentKind.BASE_PROOF,
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"min": "2000-01-01", "max": "2100-12-31", **(attrs or {})}, format="%Y-%m-%d")


class TownField(forms.TypedChoiceField):
    """Shown as required (most districts list their towns), but the form decides: a town is needed only where the
    chosen district lists towns, which the field alone cannot know."""

    known: set = set()  # every town in use; the list shows only the chosen district's

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)

    def valid_value(self, value):
        return str(value) in {str(pk) for pk in self.known}


class BuyerForm(forms.Form):
    """购机者信息: the district and the ground (R4); an organisation's base outside Beijing (R5)."""

    ground = forms.ChoiceField(
        label=_("Ground of application"),
        choices=Ground.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the ground of your application.")},
    )
    district = forms.ModelChoiceField(
        label=_("District you apply to"),
        queryset=District.objects.none(),
        empty_label=None,
    )
    town = TownField(
        label=_("Town where you farm"),
        coerce=int,
        empty_value=None,
        help_text=_("The township (乡镇) or sub-district (街道) of the district you apply to."),
    )
    outside_base = forms.BooleanField(
        label=_("The machine is fixed equipment at our own production base outside Beijing"),
        required=False,
    )
    outside_base_address = forms.CharField(
        label=_("Address of the base"),
        max_length=200,
        required=False,
        help_text=_("Needed when the machine is at the base outside Beijing."),
    )
    annual_supply_tonnes = forms.DecimalField(
        label=_("Annual supply of produce to Beijing (tonnes)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("You will also upload proof of agricultural production at the base."),
    )

    def __init__(
        self,
        *args,
        organisation: bool = False,
        minimum_supply: Decimal | None = None,
        towns_of: District | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(active=True)
        listed = towns()
        self.towns = {t.pk: t for t in listed}
        # Only the towns of the district applied to are offered (UI.md); the district is said, not asked again.
        shown = [t for t in listed if towns_of is None or t.district_id == towns_of.pk]
        self.fields["town"].choices = [("", _("Choose your town")), *town_choices(shown)]
        self.fields["town"].known = set(self.towns)
        if not listed:
            del self.fields["town"]  # no district lists its towns: nothing to ask
        self.organisation = organisation
        self.minimum_supply = minimum_supply
        if not organisation:
            for name in ("outside_base", "outside_base_address", "annual_supply_tonnes"):
                del self.fields[name]
        elif minimum_supply is not None:
            self.fields["annual_supply_tonnes"].help_text = _(
                "At least %(minimum)s tonnes a year. You will also upload proof of agricultural production at the base."
            ) % {"minimum": tonnes(minimum_supply)}

    def clean(self):
        data = super().clean()
        district, town = data.get("district"), self.towns.get(data.get("town"))
        if district and "town" in self.fields and "town" not in self.errors:
            if town and town.district_id != district.pk:
                self.add_error(
                    "town",
                    forms.ValidationError(
                        _("%(town)s is not in %(district)s; choose a town of %(district)s.")
                        % {"town": town.name, "district": district.display_name},
                        code="town_elsewhere",
                    ),
                )
            elif town is None and any(t.district_id == district.pk for t in self.towns.values()):
                self.add_error(
                    "town",
                    forms.ValidationError(_("Choose the town where you farm."), code="town_required"),
                )
        data["town"] = town
        if self.organisation and data.get("outside_base"):
            if not data.get("outside_base_address"):
                self.add_error(
                    "outside_base_address",
                    forms.ValidationError(_("Enter the address of the base."), code="base_address_required"),
                )
            supply = data.get("annual_supply_tonnes")
            if supply is None and "annual_supply_tonnes" not in self.errors:
                self.add_error(
                    "annual_supply_tonnes",
                    forms.ValidationError(
                        _("Enter the annual supply of produce to Beijing."), code="base_supply_required"
                    ),
                )
            elif supply is not None and self.minimum_supply is not None and supply < self.minimum_supply:
                self.add_error(
                    "annual_supply_tonnes",
                    forms.ValidationError(
                        _("A base outside Beijing must supply at least %(minimum)s tonnes to Beijing a year.")
                        % {"minimum": tonnes(self.minimum_supply)},
                        code="base_supply_below_minimum",
                    ),
                )
        return data

    def fields_for_update(self) -> dict:
        data = self.cleaned_data
        fields = {"ground": data["ground"], "district": data["district"], "town": data.get("town")}
        if self.organisation:
            outside = bool(data.get("outside_base"))
            fields["outside_base"] = outside
            fields["outside_base_address"] = data.get("outside_base_address", "") if outside else ""
            fields["annual_supply_tonnes"] = data.get("annual_supply_tonnes") if outside else None
        return fields


class MachineSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Model, manufacturer or item"),
        max_length=50,
        required=False,
        help_text=_("Type part of the model on the nameplate, the manufacturer or the kind of machine."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
    )


class StepForm(forms.Form):
    """A step's form. With ``later`` (the "save and come back later" button) nothing is required and only what
    was typed is saved, so a buyer without the invoice at hand keeps what they have entered."""

    def __init__(self, *args, later: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.later = later
        if later:
            for field in self.fields.values():
                field.required = False

    def typed(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class PurchaseForm(StepForm):
    """发票与付款: the nameplate's serial number and dates, the invoice, and how it was paid (R11, R28)."""

    serial_number = forms.CharField(
        label=_("Factory serial number"),
        max_length=64,
        help_text=_("As printed on the nameplate."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    production_date = forms.DateField(
        label=_("Production date"), widget=DateInput(), help_text=_("As printed on the nameplate.")
    )
    purchase_date = forms.DateField(label=_("Purchase date"), widget=DateInput(), help_text=_("The invoice date."))
    invoice_number = forms.CharField(
        label=_("Invoice number"), max_length=40, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    invoice_price = forms.DecimalField(
        label=_("Invoice price (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    payment_method = forms.ChoiceField(
        label=_("How did you pay?"),
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
        help_text=_("Above 5,000 yuan, payment by card, transfer or mobile payment is encouraged."),
    )

    def clean_serial_number(self):
        serial = " ".join(self.cleaned_data["serial_number"].split())
        if not serial and not self.later:
            raise forms.ValidationError(_("Enter the factory serial number."), code="required")
        return serial

    def clean_purchase_date(self):
        day = self.cleaned_data["purchase_date"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                _("The purchase date cannot be in the future: apply after buying."), code="purchase_in_future"
            )
        return day

    def clean(self):
        data = super().clean()
        produced, bought = data.get("production_date"), data.get("purchase_date")
        if produced and bought and produced > bought:
            self.add_error(
                "production_date",
                forms.ValidationError(
                    _("The production date is after the purchase date."), code="produced_after_purchase"
                ),
            )
        return data


class AccountForm(StepForm):
    """收款账户: where the subsidy is paid (R36)."""

    payee_name = NameField(
        label=_("Account holder"), max_length=100, help_text=_("The account must be in the buyer's own name.")
    )
    bank_name = NameField(label=_("Bank"), max_length=100, help_text=_("The bank and its branch."))
    account_number = forms.CharField(
        label=_("Card or account number"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, has_account: bool = False, buyer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.buyer = buyer
        if has_account:
            self.fields["account_number"].required = False
            self.fields["account_number"].help_text = _("Leave empty to keep the number already saved.")

    def clean_payee_name(self):
        check_payee(self.cleaned_data["payee_name"], self.buyer)
        return self.cleaned_data["payee_name"]

    def clean_account_number(self):
        number = "".join(self.cleaned_data["account_number"].split())
        if number and account_digits(number) is None:
            raise forms.ValidationError(
                _("Enter the card or account number: 8 to 30 digits."), code="account_number_invalid"
            )
        return number


class DocumentForm(forms.Form):
    """One photo or scan of one kind; the content is checked by the service (JPEG, PNG, PDF, at most 10 MB)."""

    file = forms.FileField(
        label=_("Photo or scan"),
        widget=forms.FileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"}),
        error_messages={"required": _("Choose a photo or a file to upload."), "empty": _("The file is empty.")},
    )

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, prefix=kind or None, **kwargs)
        if kind:
            self.fields["file"].label = DocumentKind(kind).label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."), code="too_large")
        return upload


class CommitmentForm(forms.Form):
    """告知承诺书 (R29): the buyer reads the letter and ticks that it is true."""

    accept = forms.BooleanField(
        label=_("I have read the commitment letter and promise that the purchase, the invoice and the price are true"),
        error_messages={"required": _("Tick the box to sign the commitment letter.")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented way); each is checked by the service like every upload."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ObjectionAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_("Say what happened in your own words: when and where you bought the machine, and how you use it."),
        error_messages={"required": _("Write your answer before sending it.")},
    )
    documents = MultipleFileField(
        label=_("Documents that support it"),
        required=False,
        help_text=_(
            "Photos or scans (JPEG, PNG or PDF, up to 10 MB each, at most 5), for example a receipt or a contract."
        ),
    )
