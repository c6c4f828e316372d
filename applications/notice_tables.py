"""The public notice as a spreadsheet (R34): the same rows and masking as the page, every text cell text (never a
formula), numbers and dates typed."""

from django.utils.translation import gettext as _

from core.spreadsheets import xlsx_bytes


def notice_workbook(applications) -> bytes:
    header = [
        _("District"),
        _("Application"),
        _("Buyer"),
        _("Town"),
        _("Item"),
        _("Grade"),
        _("Manufacturer"),
        _("Model"),
        _("Quantity"),
        _("Factory serial number"),
        _("Purchase date"),
        _("Sale price"),
        _("Subsidy"),
        _("Notice from"),
        _("Notice until"),
    ]
    rows = [header]
    for app in applications:
        rows.append(
            [
                app.district.display_name,
                app.number,
                app.buyer.public_name,
                app.town.name if app.town else "",
                app.product.item.label,
                app.product.grade.name,
                app.product.manufacturer.name,
                app.product.model,
                1,
                app.serial_masked,
                app.purchase_date,
                app.invoice_price,
                app.total_amount,
                app.notice_start,
                app.notice_end,
            ]
        )
    return xlsx_bytes(rows, _("Public notice"))
