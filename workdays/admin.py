from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .forms import NoticeImportForm
from .models import CalendarYear, SpecialDay, special_day_error
from .services import confirm_year, import_notice


class SpecialDayFormSet(forms.BaseInlineFormSet):
    """Each day must lie in the year being edited and break the weekend rule."""

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("DELETE") or not data.get("date") or not data.get("kind"):
                continue
            if message := special_day_error(day=data["date"], kind=data["kind"], year=self.instance.year):
                form.add_error("date", message)


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    formset = SpecialDayFormSet
    fields = ["date", "kind", "note"]
    extra = 1


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "confirmed", "confirmed_by", "confirmed_at", "source"]
    list_filter = ["confirmed"]
    fields = ["year", "source", "confirmed", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed", "confirmed_by", "confirmed_at"]
    inlines = [SpecialDayInline]
    actions = ["mark_confirmed"]
    change_list_template = "workdays/admin/change_list.html"

    @admin.action(description=_("Mark the selected years confirmed"), permissions=["change"])
    def mark_confirmed(self, request, queryset):
        years = [confirm_year(year=year, by=request.user).year for year in queryset.values_list("year", flat=True)]
        count = len(years)
        self.message_user(
            request,
            ngettext("Confirmed the calendar of %(years)s.", "Confirmed the calendars of %(years)s.", count)
            % {"years": ", ".join(map(str, sorted(years)))},
            messages.SUCCESS,
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_notice_view)
        return [path("import/", view, name="workdays_calendaryear_import"), *super().get_urls()]

    def import_notice_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = NoticeImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            year, notice = form.cleaned_data["year"], form.cleaned_data["notice"]
            import_notice(year=year, rows=notice.rows, source=form.cleaned_data["source"])
            self.message_user(
                request,
                gettext("Imported %(count)d days for %(year)s. Check them, then mark the year confirmed.")
                % {"count": len(notice.rows), "year": year},
                messages.SUCCESS,
            )
            return redirect("admin:workdays_calendaryear_changelist")
        notice = getattr(form, "cleaned_data", {}).get("notice")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import a holiday notice"),
            "form": form,
            "row_errors": notice.errors if notice else (),
        }
        return TemplateResponse(request, "workdays/admin/import.html", context)
