from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What it is for"), max_length=100, help_text=_("For example: the district's statistics script.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=366, initial=lambda: settings.API_TOKEN_DAYS
    )
