"""The public notice's filters (R34): district, town, item, a search, and for the archive the month. Every value
comes from the address bar, so anything a visitor types is either understood or ignored with a message."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Town
from catalog.models import Item

from .selectors import notice_months


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, item):
        """An item code can stand in both catalogues (2.2.3): its catalogue is always said."""
        return item.label


class NoticeFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.filter(active=True),
        to_field_name="code",
        required=False,
        empty_label=_("All districts"),
    )
    town = forms.ModelChoiceField(
        label=_("Town"), queryset=Town.objects.filter(active=True), required=False, empty_label=_("All towns")
    )
    item = ItemChoice(label=_("Item"), queryset=Item.objects.none(), required=False, empty_label=_("All items"))
    q = forms.CharField(label=_("Application number, model or manufacturer"), required=False, max_length=50, strip=True)

    def __init__(self, data=None, *, today: date | None = None):
        super().__init__(data)
        today = today or timezone.localdate()
        self.fields["item"].queryset = Item.objects.in_force(today).order_by("scope", "sort_key")
        district = self._chosen_district()
        if district is not None:
            self.fields["town"].queryset = Town.objects.filter(active=True, district=district)

    def _chosen_district(self):
        code = (self.data or {}).get("district")
        return District.objects.filter(active=True, code=code).first() if code else None

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "")

    def filters(self) -> dict:
        """What the selector takes; an invalid filter is dropped (the form says why beside it)."""
        self.is_valid()
        valid = self.cleaned_data  # the fields that are valid
        district = valid.get("district")
        return {
            "district": district.pk if district else None,
            "town": valid.get("town"),
            "item": valid.get("item"),
            "search": valid.get("q", ""),
        }


class ArchiveFilterForm(NoticeFilterForm):
    month = forms.TypedChoiceField(label=_("Month the notice ended"), required=False, coerce=str)

    def __init__(self, data=None, *, today: date | None = None):
        super().__init__(data, today=today)
        self.months = notice_months(today=today or timezone.localdate())
        self.fields["month"].choices = [(f"{m:%Y-%m}", f"{m:%Y-%m}") for m in self.months]

    def chosen_month(self) -> date:
        """The month asked for, or the one before this (whose notices have all ended) when none or a wrong one."""
        self.is_valid()
        chosen = self.cleaned_data.get("month")
        return next((m for m in self.months if f"{m:%Y-%m}" == chosen), self.months[1])
