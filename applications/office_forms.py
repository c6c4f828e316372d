"""The district office's forms: the queue's filters (kept in the URL) and one small form per decision.

Forms only parse and check what was typed; the rules are the services' (applications.services).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from accounts.selectors import town_choices, towns
from catalog.models import Item

from .models import VerificationMethod
from .workflow import OFFICE_LABELS, State

REASON_REQUIRED = _("Give the reason; the buyer reads it and it is kept on record.")

#: The queue's "state" filter: the office's open work by default, or one state.
OPEN = ""


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string so a filtered view can be bookmarked."""

    q = forms.CharField(
        label=_("Buyer, serial or application number"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    item = forms.TypedChoiceField(label=_("Item"), required=False, coerce=int, empty_value=None)
    due = forms.ChoiceField(
        label=_("Due"),
        required=False,
        choices=[("", _("Any due date")), ("overdue", _("Overdue")), ("soon", _("Due within 1 working day"))],
    )
    warnings = forms.BooleanField(label=_("With warnings only"), required=False)
    district = forms.ModelChoiceField(label=_("District"), required=False, queryset=District.objects.none())
    town = forms.TypedChoiceField(label=_("Town"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, all_districts=False, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        listed = towns() if all_districts else (towns(district=district) if district else [])
        if listed:
            self.fields["town"].choices = [("", _("Any town")), *town_choices(listed)]
        else:
            del self.fields["town"]
        self.fields["state"].choices = [
            (OPEN, _("Open work")),
            *[(state.value, OFFICE_LABELS[state]) for state in State if state != State.DRAFT],
        ]
        # Both catalogues use the same codes (central 1.1.2 is not municipal 1.1.2): one group per catalogue.
        groups: dict[str, list] = {}
        for item in Item.objects.filter(valid_to__isnull=True).order_by("scope", "sort_key"):
            groups.setdefault(item.get_scope_display(), []).append((item.pk, f"{item.code} {item.name}"))
        self.fields["item"].choices = [("", _("Any item")), *groups.items()]
        if all_districts:
            self.fields["district"].queryset = District.objects.filter(active=True)
            self.fields["district"].empty_label = _("All districts")
        else:
            del self.fields["district"]

    def filters(self) -> dict:
        """The cleaned filters, or none when the query string is nonsense (an unknown state shows everything open)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}


class NoteForm(forms.Form):
    """A decision with an optional note (accept, request payment)."""

    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    """A decision that must say why (return, reject): the reason is shown to the buyer and kept (R30, R45)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_REQUIRED},
    )


class ReturnForm(ReasonForm):
    """R30: what the buyer must amend: reasons ticked from the district's list (``ReturnReason``), the free text
    beside them, or both; the buyer reads them joined as one text."""

    reasons = forms.MultipleChoiceField(
        label=_("Common reasons"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    reason = forms.CharField(
        label=_("What the buyer must amend"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Said to the buyer as written: name each missing or wrong document."),
    )

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = [(r.text, r.text) for r in reasons]
        if not reasons:
            del self.fields["reasons"]

    def clean(self):
        data = super().clean()
        parts = [*data.get("reasons", []), (data.get("reason") or "").strip()]
        data["reason"] = "；".join(part for part in parts if part)
        if not data["reason"]:
            self.add_error("reason", REASON_REQUIRED)
        return data


class RejectForm(ReasonForm):
    reason = forms.CharField(
        label=_("Why the application is rejected"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_REQUIRED},
    )


class ScheduleForm(forms.Form):
    """R32: an on-site check after installation and a period of production use."""

    note = forms.CharField(
        label=_("When and what to check"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: after 100 hours of use, or after the spring planting."),
    )


class ClearForm(forms.Form):
    """R34, R38: an investigation that found no violation; the application goes back where it was."""

    finding = forms.CharField(
        label=_("What the investigation found"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class VerificationForm(forms.Form):
    """核验 (R32, R33): the method used, the date, what was found, and pass or fail."""

    method = forms.ChoiceField(label=_("Method used"), choices=VerificationMethod.choices)
    checked_on = forms.DateField(
        label=_("Checked on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    findings = forms.CharField(label=_("Findings"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    work_done = forms.CharField(
        label=_("Work area or volume done"),
        required=False,
        max_length=100,
        help_text=_("Where the district requires work before verification, for example 200 mu."),
    )
    photos = MultipleFileField(label=_("Photos"), required=False)
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Passed: the machine is as applied")), ("no", _("Failed: reject the application"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    publish = forms.BooleanField(
        label=_("Open the public notice at once"),
        required=False,
        help_text=_("Only for a documents-only check that passed: verifying and publishing become one step."),
    )

    def __init__(self, *args, proposed: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if proposed:
            self.fields["method"].initial = proposed
        self.fields["checked_on"].initial = timezone.localdate()

    def clean_checked_on(self):
        day = self.cleaned_data["checked_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The check cannot be in the future."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("publish") and (data.get("method") != VerificationMethod.DOCUMENTS or not data.get("passed")):
            self.add_error("publish", _("Only a documents-only check that passed goes straight to the notice."))
        return data


class BatchForm(forms.Form):
    """The applications ticked on a batch confirmation page."""

    ids = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(app.pk, str(app.pk)) for app in candidates]
        self.fields["ids"].error_messages["required"] = _("Tick at least one application.")


class ObjectionForm(forms.Form):
    """An objection to a public notice (R34): anyone, name and contact optional."""

    text = forms.CharField(
        label=_("What is wrong"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what you know about this purchase or machine that the district should check."),
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=50)
    contact = forms.CharField(
        label=_("Telephone or e-mail"),
        required=False,
        max_length=100,
        help_text=_("Only if you want the district to be able to ask you more."),
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Say what is wrong."))
        return text
