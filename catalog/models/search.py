"""The everyday words farmers type when they search the catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchSynonym(models.Model):
    """The everyday name a farmer types for a machine (无人机, 打药机, 收割机) and the catalogue's words it stands
    for (无人驾驶航空器, 喷雾机, 收获机), kept by the municipal bureau in the admin: searching the word finds them."""

    word = models.CharField(_("everyday word"), max_length=30, unique=True)
    means = models.CharField(
        _("catalogue words"), max_length=200, help_text=_("One or more words of the catalogue, separated by commas.")
    )

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["word"]

    def __str__(self):
        return f"{self.word} → {self.means}"

    def terms(self) -> list[str]:
        return [t.strip() for t in self.means.replace("，", ",").replace("、", ",").split(",") if t.strip()]
