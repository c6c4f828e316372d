"""Input of the application subsidy's pages (R20): the buyer's own work record and claim, the office's check of a
flagged record, the district's spreadsheet."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .services import Incoming


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class RecordForm(forms.Form):
    """One stretch of work entered by hand, with photos or the work contract."""

    day = forms.DateField(label=_("Day of the work"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Started at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ended at"), widget=forms.TimeInput(attrs={"type": "time"}))
    volume = forms.DecimalField(label=_("Work done"), min_value=0, max_digits=12, decimal_places=2)
    latitude = forms.DecimalField(
        label=_("Latitude of the field"),
        max_digits=8,
        decimal_places=5,
        help_text=_("From the phone's map, e.g. 40.03000"),
    )
    longitude = forms.DecimalField(
        label=_("Longitude of the field"),
        max_digits=8,
        decimal_places=5,
        help_text=_("From the phone's map, e.g. 116.30000"),
    )
    files = MultipleFileField(
        label=_("Photos of the work or the work contract"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf", "capture": "environment"}),
    )

    def __init__(self, *args, pilot, **kwargs):
        super().__init__(*args, **kwargs)
        self.pilot = pilot
        self.fields["volume"].label = _("Work done (%(unit)s)") % {"unit": pilot.get_volume_unit_display()}
        self.measures = list(pilot.measures.all())
        for i, measure in enumerate(self.measures):
            self.fields[f"measure_{i}"] = forms.DecimalField(
                label=f"{measure.name} ({measure.unit})", max_digits=12, decimal_places=2, required=False
            )
        for name in ("volume", "latitude", "longitude"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def incoming(self) -> Incoming:
        data = self.cleaned_data

        def moment(t: time) -> datetime:
            return timezone.make_aware(datetime.combine(data["day"], t))

        return Incoming(
            started_at=moment(data["start"]),
            ended_at=moment(data["end"]),
            volume=data["volume"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            quality={
                m.name: data[f"measure_{i}"]
                for i, m in enumerate(self.measures)
                if data.get(f"measure_{i}") is not None
            },
        )


class ClaimForm(forms.Form):
    accept_commitment = forms.BooleanField(label=_("I have read this and sign it"), required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept: it counts")), ("reject", _("Reject: it never counts"))])
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput())


class StartClaimForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (XLSX)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
