from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Conclusion, ControlReport, Decision, How, Party, ViolationKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.ModelForm):
    conclusion = forms.ChoiceField(
        label=_("Conclusion"),
        choices=[("", _("Not yet: save the visit"))] + list(Conclusion.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    photos = MultipleFileField(label=_("Photos (nameplate, machine, place)"), required=False)

    class Meta:
        model = ControlReport
        fields = [
            "visited_on",
            "how",
            "met",
            "nameplate_seen",
            "serial_seen",
            "location",
            "notice_given",
            "notes",
        ]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "how": forms.RadioSelect(choices=How.choices),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["how"].initial = How.ON_SITE
        self.fields["how"].choices = How.choices
        if self.instance.pk:
            self.fields["conclusion"].initial = self.instance.conclusion

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of the check is in the future."))
        return day


class DrawForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=None)
    period_start = forms.DateField(
        label=_("Applications submitted from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label=_("to (inclusive)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    seed = forms.CharField(
        label=_("Random seed"),
        max_length=100,
        help_text=_("Entered before the draw and never changed after it, for example the numbers of a public draw."),
    )
    seed_source = forms.CharField(label=_("Where the seed comes from"), max_length=200, required=False)
    redraw_of = forms.ModelChoiceField(label=_("Draw again, replacing run"), queryset=None, required=False)
    redraw_reason = forms.CharField(
        label=_("Why drawn again"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, districts, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["redraw_of"].queryset = runs


class RemarkForm(forms.Form):
    text = forms.CharField(label=_("Your remarks"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("What is suspected"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReferForm(forms.Form):
    on = forms.DateField(label=_("Referred on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    body = forms.CharField(label=_("Referred to (public security or procuratorate)"), max_length=150)


class ProposeForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices, widget=forms.RadioSelect)
    proposed = forms.CharField(label=_("Proposed decision"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(
        label=_("Kind of violation"), choices=[("", "—")] + list(ViolationKind.choices), required=False
    )
    text = forms.CharField(label=_("Decision and reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    claw_back_amount = forms.DecimalField(
        label=_("Amount to claw back (yuan, if paid)"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    bar_buyer = forms.BooleanField(label=_("Bar the buyer from applying for the period set"), required=False)
    credit_record = forms.BooleanField(label=_("Enter it on the manufacturer's credit record"), required=False)
    close_product = forms.BooleanField(label=_("Close the product (municipal bureau)"), required=False)
    suspend_filings = forms.BooleanField(
        label=_("Suspend the manufacturer's filings (municipal bureau)"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.VIOLATION and not data.get("kind"):
            self.add_error("kind", _("Choose the kind of violation."))
        return data


class ComplaintForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=None, empty_label=None)
    application_number = forms.CharField(label=_("Application number (if you know it)"), max_length=32, required=False)
    text = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    contact = forms.CharField(label=_("How to reach you"), max_length=100, required=False)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


class ReferenceForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=20)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ScaleForm(forms.Form):
    """The buyer's scale of production as the office knows it; every figure optional, none negative."""

    land_mu = forms.DecimalField(label=_("Land (mu)"), min_value=0, max_digits=10, decimal_places=2, required=False)
    herd_head = forms.IntegerField(label=_("Herd (head)"), min_value=0, required=False)
    facility_m2 = forms.DecimalField(
        label=_("Facility area (m²)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    reason = forms.CharField(
        label=_("Where the figures come from"),
        max_length=200,
        help_text=_("For example: land contract seen on site, herd register of 2026."),
    )
