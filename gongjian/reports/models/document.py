"""Documents (公文): a document of an organisation, its numbered versions and the organisation's
代字 (issue 14; ADR document-frozen-versions).

A document is drafted from records as version 1. A draft version is edited in place; issuing it
freezes it for good and gives it the organisation's next 发文字号 of the year ("太妇发〔2026〕3号").
An edit after issue starts a new draft version, so every issued text stays as it was issued."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.documents import Kind


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


def content_hash(content: dict[str, Any]) -> str:
    """The SHA-256 of a version's content in a canonical JSON form (keys sorted, no spaces)."""
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True,
                                     separators=(",", ":")).encode()).hexdigest()


class Document(models.Model):
    organization = models.ForeignKey("kernel.Organization", verbose_name=_("发文机关"), on_delete=models.PROTECT,
                                     related_name="documents")
    kind = models.CharField(_("文种"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    period_from = models.DateField(_("起始日期"))
    period_to = models.DateField(_("截止日期"))
    # A campaign's id for a kind drafted from one (实施方案, 名单): a plain integer, because
    # reports imports no body of work; the drafter checked it was in the drafter's reach.
    campaign_id = models.PositiveIntegerField(_("活动"), null=True, blank=True)
    # The state of the current (latest) version: an edit after issue makes it a draft again.
    state = models.CharField(_("状态"), max_length=10, choices=DocumentState.choices, default=DocumentState.DRAFT)
    number = models.CharField(_("最近的发文字号"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    # Not stored: the current version, attached by the API for `DocumentOut`.
    version: DocumentVersion

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["organization", "kind", "state"], name="reports_doc_org_kind")]
        constraints = [models.CheckConstraint(condition=models.Q(period_from__lte=models.F("period_to")),
                                              name="reports_doc_period_order")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:document-detail", args=[self.pk])


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    n = models.PositiveIntegerField(_("版本"))
    content = models.JSONField(_("内容"))  # kernel.documents.Content.to_dict()
    content_sha256 = models.CharField(_("内容摘要"), max_length=64)
    state = models.CharField(_("状态"), max_length=10, choices=DocumentState.choices, default=DocumentState.DRAFT)
    # The document's organisation again, so that "one number per organisation per year" is a
    # constraint the database keeps, whatever two issuers do at the same moment.
    organization = models.ForeignKey("kernel.Organization", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("发文字号"), max_length=40, blank=True)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True)
    number_seq = models.PositiveIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("公文版本")
        verbose_name_plural = _("公文版本")
        ordering = ["document", "n"]
        constraints = [
            models.UniqueConstraint(fields=["document", "n"], name="reports_version_unique_n"),
            models.UniqueConstraint(fields=["organization", "number_year", "number_seq"],
                                    condition=models.Q(number_seq__isnull=False), name="reports_number_unique"),
            models.CheckConstraint(
                condition=models.Q(state="draft", number="", number_seq__isnull=True, issued_at__isnull=True)
                | models.Q(state="issued", number_seq__isnull=False, number_year__isnull=False,
                           issued_at__isnull=False) & ~models.Q(number=""),
                name="reports_version_issued_numbered"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.n}"

    @property
    def is_issued(self) -> bool:
        return self.state == DocumentState.ISSUED


class IssuingCode(models.Model):
    """An organisation's 代字 in its 发文字号 ("太妇发"), set by its lead."""

    organization = models.OneToOneField("kernel.Organization", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("发文代字"), max_length=12)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("发文代字")
        verbose_name_plural = _("发文代字")

    def __str__(self) -> str:
        return self.code
