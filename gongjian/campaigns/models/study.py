"""学习教育 (第二篇 一, 第五篇 一): documents issued for study, and the 学习心得 cadres and women
party members write about them, counted per organisation."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.models import Organization, Person, StoredFile, User

from .campaign import Campaign

__all__ = ["StudyDocument", "StudyNote"]


class StudyDocument(models.Model):
    """A document issued for study (a speech, a 文件, a reading list), read by the issuer's
    subtree: the organisations at or below the issuer see it."""

    organization = models.ForeignKey(Organization, verbose_name=_("发文组织"), on_delete=models.PROTECT,
                                     related_name="study_documents")
    campaign = models.ForeignKey(Campaign, verbose_name=_("所属活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="study_documents")
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("内容摘要"), blank=True)
    body = models.TextField(_("正文"), blank=True)
    attachment = models.ForeignKey(StoredFile, verbose_name=_("附件"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("印发日期"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习文件")
        verbose_name_plural = _("学习文件")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["organization", "published_on"], name="study_doc_org_date")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:study-document-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class StudyNote(models.Model):
    """A 学习心得: written by a cadre or a woman party member of the organisation, about a study
    document or a subject of her own."""

    organization = models.ForeignKey(Organization, verbose_name=_("所在组织"), on_delete=models.PROTECT,
                                     related_name="study_notes")
    author = models.ForeignKey(Person, verbose_name=_("作者"), on_delete=models.PROTECT, related_name="study_notes")
    document = models.ForeignKey(StudyDocument, verbose_name=_("学习文件"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="notes")
    campaign = models.ForeignKey(Campaign, verbose_name=_("所属活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="study_notes")
    title = models.CharField(_("题目"), max_length=200)
    text = models.TextField(_("心得内容"))
    written_on = models.DateField(_("撰写日期"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习心得")
        verbose_name_plural = _("学习心得")
        ordering = ["-written_on", "-id"]
        indexes = [models.Index(fields=["organization", "written_on"], name="study_note_org_date"),
                   models.Index(fields=["written_on"], name="study_note_date")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:study-note-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization
