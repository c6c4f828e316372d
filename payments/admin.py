"""Money in the admin: the ledger, payments and their trail are read-only (R45); the rows the municipality sets
(annual caps, districts' lifting rules, priority items and grades) are edited here, a change being a new row."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import (
    BatchItem,
    BuyerCap,
    CapLifting,
    ClawBack,
    Deferral,
    Export,
    Fund,
    GradeReview,
    LedgerEntry,
    Payment,
    PaymentBatch,
    Priority,
    ReconciliationException,
    ReturnImport,
    Rollover,
)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "fund", "kind", "amount", "application", "batch", "actor", "document"]
    list_filter = ["kind", "fund__source", "fund__year", "fund__district"]
    list_select_related = ["fund__district", "application", "batch", "actor"]
    search_fields = ["application__number", "document", "batch__number"]


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["district", "year", "source"]
    list_filter = ["year", "source", "district"]


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ["number", "district", "state", "built_by", "approved_by", "built_at"]
    list_filter = ["state", "district"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["application", "voucher", "total", "paid_on", "batch", "recorded_by"]
    search_fields = ["voucher", "application__number"]


for model in (BatchItem, Export, ReturnImport, ReconciliationException, Deferral, ClawBack, GradeReview, Rollover):
    admin.site.register(model, ReadOnlyAdmin)


class NewRowsOnlyAdmin(admin.ModelAdmin):
    """A rule in force is never edited: add a row from a later date instead."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BuyerCap)
class BuyerCapAdmin(NewRowsOnlyAdmin):
    list_display = ["buyer_kind", "amount", "valid_from"]


@admin.register(CapLifting)
class CapLiftingAdmin(NewRowsOnlyAdmin):
    list_display = ["district", "buyer_kind", "amount", "document", "valid_from", "valid_to"]
    list_filter = ["district"]


@admin.register(Priority)
class PriorityAdmin(NewRowsOnlyAdmin):
    list_display = ["year", "item", "grade", "document"]
    list_filter = ["year"]
    raw_id_fields = ["item", "grade"]
