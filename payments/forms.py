"""Input parsing for /finance/; messages are translated, values are kept when a form is shown again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from catalog.models import FundSource

from . import adapters
from .models import DeferralReason


class FundMoveForm(forms.Form):
    """The municipal finance bureau's entry: an allocation, a cut or a reallocation between districts (R21–R23)."""

    KINDS = [
        ("allocation", _("Allocation")),
        ("cut", _("Cut")),
        ("reallocation", _("Reallocation between districts")),
        ("settlement", _("Settlement of district advances (district funds)")),
    ]
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.filter(active=True))
    to_district = forms.ModelChoiceField(
        label=_("To district (reallocation only)"), queryset=District.objects.filter(active=True), required=False
    )
    year = forms.IntegerField(label=_("Subsidy year"), min_value=2020, max_value=2100)
    source = forms.ChoiceField(label=_("Fund source"), choices=FundSource.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=0.01)
    document = forms.CharField(label=_("Document number"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        if data.get("kind") == "reallocation" and not data.get("to_district"):
            self.add_error("to_district", _("Choose the district that receives the money."))
        return data


class DeferForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the payment waits"), choices=DeferralReason.choices)
    note = forms.CharField(label=_("What the buyer is told"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    expected = forms.CharField(label=_("When it may be paid"), max_length=200, required=False)


class ClawBackForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount to recover (yuan)"), max_digits=14, decimal_places=2, min_value=0.01)
    decision_document = forms.CharField(label=_("Decision document"), max_length=100)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RecoveryForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount received (yuan)"), max_digits=14, decimal_places=2, min_value=0.01)
    document = forms.CharField(label=_("Receipt or document number"), max_length=100, required=False)


class FindingForm(forms.Form):
    finding = forms.CharField(
        label=_("Finding of the district and district finance"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnFileForm(forms.Form):
    file = forms.FileField(label=_("Treasury return file (XLSX or CSV)"))

    def clean_file(self):
        """A file that is neither a readable XLSX nor a CSV in UTF-8 is refused here, with a message."""
        upload = self.cleaned_data["file"]
        if not adapters.readable(upload.read(), upload.name):
            raise forms.ValidationError(
                _("The file is not a readable XLSX workbook or a CSV file in UTF-8."), code="unreadable"
            )
        upload.seek(0)
        return upload


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 2}))


class YearEndForm(forms.Form):
    """R37: the subsidy year the municipal finance bureau closes (a year under way or past)."""

    year = forms.IntegerField(label=_("Subsidy year to close"), min_value=2020)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(max=timezone.localdate().year, inputmode="numeric")
