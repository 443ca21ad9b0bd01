"""The county report's monthly roll-ups (issue 14; ADR county-roll-ups): the additive figures every
body of work offers through `kernel.figures`, kept per organisation (its whole subtree, as the
sources answer) and closed month, so a period of years is answered by summing a few thousand
rows instead of rescanning millions of records. Values are the sources' own, never suppressed:
suppression is applied when they are read (`selectors.county`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.models import Organization


class FigureMonth(models.Model):
    """One additive figure ("cases.received") of one organisation's subtree for one closed month;
    only non-zero values are kept (a month rolled up without a row is a zero)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("组织"))
    month = models.DateField(_("月份"))  # the first day of the month
    code = models.CharField(_("指标"), max_length=100)  # "<source>.<code>"
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)
    integral = models.BooleanField(_("整数"), default=True)  # the source answered an int (a count)

    class Meta:
        verbose_name = _("月度汇总数")
        verbose_name_plural = _("月度汇总数")
        constraints = [models.UniqueConstraint(fields=["organization", "month", "code"],
                                               name="reports_figuremonth_unique")]
        indexes = [models.Index(fields=["month", "code"], name="reports_figmonth_month_code")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m} {self.code}={self.value}"


class RolledMonth(models.Model):
    """That a source's additive figures of a month are kept, for which codes (`signature`) and when.

    A month (or a source) without it — not rolled up yet, a source offered later, a source whose
    additive codes changed since — is read live, so a missing roll-up is slower, never wrong."""

    month = models.DateField(_("月份"))
    source = models.CharField(_("来源"), max_length=50)
    signature = models.CharField(_("指标签名"), max_length=64)
    computed_at = models.DateTimeField(_("汇总时间"))

    class Meta:
        verbose_name = _("已汇总月份")
        verbose_name_plural = _("已汇总月份")
        constraints = [models.UniqueConstraint(fields=["month", "source"], name="reports_rolledmonth_unique")]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m}"
