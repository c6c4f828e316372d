from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as accounts_views

admin.site.site_header = _("Agricultural machinery subsidy: administration")
admin.site.site_title = _("Subsidy administration")

urlpatterns = [
    path("office/applications/", include("applications.urls_office")),
    path("public/notices/", include("applications.urls_public")),
    path("apply/payment/", include("payments.urls_buyer")),
    path("apply/checks/", include("audits.urls_buyer")),  # issue 11: the buyer's remarks on a check
    path("apply/usage/", include("usage.urls_buyer")),  # issue 17: the application subsidy (R20)
    path("office/usage/", include("usage.urls_office")),
    path("public/usage/", include("usage.urls_public")),
    path("apply/", include("applications.urls_buyer")),
    path("", include("reports.urls")),  # issue 12: /office/reports/, /finance/reports/
    path("finance/", include("payments.urls")),
    # issue 11: oversight; /audit/ before core, whose empty workspace page it replaces
    path("audit/", include("audits.urls")),
    path("office/buyers/", include("audits.urls_office")),  # the buyer's scale of production (sign 6)
    path("public/oversight/", include("audits.urls_public")),
    path("cases/", include("audits.urls_party")),
    path("", include("core.urls")),
    path("", include("catalog.urls")),
    path("accounts/", include("accounts.urls")),
    path("inbox/", include("notifications.urls")),
    path("workdays/", include("workdays.urls")),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
]
