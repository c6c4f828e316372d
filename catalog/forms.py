from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc

from .errors import CatalogueError
from .grading import parse_declared
from .models import CertificateKind, CreditKind, Grade, Scope
from .uploads import MAX_UPLOAD_BYTES


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Code or name"), required=False, max_length=50)
    scope = forms.ChoiceField(
        label=_("Catalogue"), required=False, choices=[("", _("Both catalogues")), *Scope.choices]
    )


class GradeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.item.get_scope_display()} {obj.item.code} {obj.item.name} — {obj.name}"


class FilingForm(forms.Form):
    grade = GradeChoiceField(
        label=_("Item and grade"),
        queryset=Grade.objects.none(),
        help_text=_("The grade whose parameters the product meets; filing a lower grade as a higher one is punished."),
    )
    name = forms.CharField(label=_("Product name"), max_length=150)
    model = forms.CharField(label=_("Model"), max_length=100)
    executive_standard = forms.CharField(label=_("Executive standard"), max_length=150, required=False)
    mandatory_standard = forms.BooleanField(
        label=_("A compulsory or national standard exists for this product"), required=False
    )
    declared = forms.CharField(
        label=_("Declared key parameters"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=format_lazy(
            "{} {}", _("One per line or separated by semicolons, e.g."), "功率=57马力; 驱动方式=两轮驱动"
        ),
    )

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        grades = Grade.objects.in_force(timezone.localdate()).select_related("item")
        if item is not None:
            grades = grades.filter(item=item)
            self.fields["grade"].label = _("Grade")
        self.fields["grade"].queryset = grades.order_by("item__scope", "item__sort_key", "sort_order", "id")

    def clean_declared(self):
        try:
            return parse_declared(self.cleaned_data["declared"])
        except CatalogueError as exc:
            raise forms.ValidationError(str(exc.message)) from exc


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CertificateKind.choices)
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=150, required=False)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("A JPEG, PNG or PDF of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ReviewForm(forms.Form):
    ACTIONS = [
        ("accept", _("Accept")),
        ("reject", _("Reject")),
        ("publish", _("Publish")),
        ("false", _("Record a false filing")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    false_filing = forms.ChoiceField(
        label=_("False filing"),
        required=False,
        choices=[
            ("", _("Not a false filing")),
            (CreditKind.FALSE_FILING_OUT_OF_SCOPE, CreditKind.FALSE_FILING_OUT_OF_SCOPE.label),
            (CreditKind.FALSE_FILING_LOWER_GRADE, CreditKind.FALSE_FILING_LOWER_GRADE.label),
        ],
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for rejecting the filing."))
        if data.get("action") == "false":
            if not data.get("false_filing"):
                self.add_error("false_filing", _("Choose the kind of false filing."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give the reason."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Amount table (XLSX)"))
    valid_from = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today or later; amounts in force are closed the day before."),
    )


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.item.name} · {obj.manufacturer.name} {obj.model}"


class SaleForm(forms.Form):
    """A sale a manufacturer's or dealer's user enters on /filing/sales/new/; the rules are record_sale's."""

    seller = forms.ChoiceField(label=_("Sold by"))  # m<pk> / d<pk>, among the user's own
    product = ProductChoiceField(label=_("Machine (product)"), queryset=None)
    serial_number = forms.CharField(
        label=_("Factory serial number"), max_length=64, help_text=_("As on the machine's nameplate.")
    )
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40)
    sold_on = forms.DateField(label=_("Date of sale"), widget=forms.DateInput(attrs={"type": "date"}))
    price = forms.DecimalField(label=_("Invoice price (yuan)"), max_digits=12, decimal_places=2, min_value=0)
    buyer_number = forms.CharField(
        label=_("Buyer's resident ID number or unified social credit code"),
        max_length=18,
        help_text=_("18 characters: a person's ID number, or an organisation's credit code."),
    )
    buyer_mobile = forms.CharField(
        label=_("Buyer's mobile"), max_length=11, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args, sellers, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.sellers = {f"{'m' if s._meta.model_name == 'manufacturer' else 'd'}{s.pk}": s for s in sellers}
        self.fields["seller"].choices = [(key, seller.name) for key, seller in self.sellers.items()]
        self.fields["product"].queryset = products

    def clean_buyer_number(self):
        number = self.cleaned_data["buyer_number"].strip().upper()
        if not (ric.is_valid(number) or uscc.is_valid(number)):
            raise forms.ValidationError(
                _("This is neither a valid resident ID number nor a valid credit code: check each character.")
            )
        return number

    def buyer_fields(self) -> dict:
        """The 18 characters as record_sale takes them."""
        number = self.cleaned_data["buyer_number"]
        return {"buyer_id_number": number} if ric.is_valid(number) else {"buyer_credit_code": number}
