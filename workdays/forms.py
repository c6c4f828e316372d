from django import forms
from django.utils.translation import gettext_lazy as _

from .notice import decode, parse_notice

# The years the pages and the command accept: wide enough for any deadline, far from the limits of ``date``.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_WORKING_DAYS = 365
MAX_NOTICE_BYTES = 64 * 1024


class DueDateForm(forms.Form):
    start = forms.DateField(
        label=_("Received on (day 0)"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    working_days = forms.IntegerField(label=_("Within how many working days"), min_value=0, max_value=MAX_WORKING_DAYS)

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return start


class NoticeImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    file = forms.FileField(
        label=_("Notice as CSV"),
        help_text=_("Columns: date, kind, note. Kind is holiday or 休, workday or 班. Example: 2027-10-01,休,国庆节"),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        help_text=_("The notice the days were taken from."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        upload, year = cleaned.get("file"), cleaned.get("year")
        if upload is None or year is None:
            return cleaned
        if upload.size > MAX_NOTICE_BYTES:
            self.add_error("file", _("The file is larger than 64 KB; a year's notice is much smaller."))
            return cleaned
        try:
            text = decode(upload.read())
        except UnicodeDecodeError:
            self.add_error("file", _("The file is not text in UTF-8 or GB18030."))
            return cleaned
        cleaned["notice"] = notice = parse_notice(text=text, year=year)
        if notice.errors:
            self.add_error("file", _("Nothing was imported: correct the rows below and upload the file again."))
        return cleaned
