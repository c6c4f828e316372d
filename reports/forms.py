from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .periods import Month


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), max_length=7, help_text=_("For example 2026-10."), widget=forms.TextInput({"type": "month"})
    )

    def clean_month(self):
        try:
            month = Month.parse(self.cleaned_data["month"])
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a month as year-month, for example 2026-10.")) from exc
        if not month.is_past(timezone.localdate()):
            raise forms.ValidationError(_("A report is generated for a month that has ended."))
        return month


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why corrected"), max_length=1000, widget=forms.Textarea({"rows": 3}),
        help_text=_("Said on the new version's cover, with the figures that changed."),
    )  # fmt: skip
