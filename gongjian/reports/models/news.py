"""信息报送 (供稿): a news piece a village, a township or a party organisation sends up to the
organisation above; its editor adopts it (perhaps edited), or returns it with a reason. Adopted
pieces appear in the portal's news with the contributor's organisation (第一篇 ends
"太华办姚高华供稿"). Issue 14.

The text as submitted (`title`, `body`) and as adopted (`adopted_title`, `adopted_body`) are both
kept, so the difference the editor made can be shown; every move is an event row as well as an
audit record (the submitter sees the editor's reasons in order)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.models import Organization, StoredFile, User

__all__ = ["NEWS_TRANSITIONS", "RECEIVER_KINDS", "SUBMITTER_KINDS", "NewsEvent", "NewsPhoto", "NewsState", "NewsSubmission"]


Kind = Organization.Kind
#: Who sends pieces up: a federation or a party organisation (not a leading group or an office).
SUBMITTER_KINDS = (*Organization.FEDERATION_KINDS, *Organization.PARTY_KINDS)
#: Who receives them: a federation or a party committee with organisations below it.
RECEIVER_KINDS = (Kind.COUNTY_FEDERATION, Kind.TOWNSHIP_FEDERATION, Kind.PARTY_COMMITTEE)


class NewsState(models.TextChoices):
    SUBMITTED = "submitted", _("待采用")
    ADOPTED = "adopted", _("已采用")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


#: submitted → adopted (perhaps edited) or returned (with a reason) or withdrawn by the submitter;
#: a returned piece is revised and submitted again. Adopted and withdrawn pieces are final.
NEWS_TRANSITIONS: dict[str, frozenset[str]] = {
    NewsState.SUBMITTED: frozenset({NewsState.ADOPTED, NewsState.RETURNED, NewsState.WITHDRAWN}),
    NewsState.RETURNED: frozenset({NewsState.SUBMITTED}),
    NewsState.ADOPTED: frozenset(),
    NewsState.WITHDRAWN: frozenset(),
}


class NewsSubmission(models.Model):
    """One news piece sent upward (供稿)."""

    organization = models.ForeignKey(Organization, verbose_name=_("报送单位"), on_delete=models.PROTECT,
                                     related_name="news_sent")
    receiver = models.ForeignKey(Organization, verbose_name=_("报送给"), on_delete=models.PROTECT,
                                 related_name="news_received")
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    byline = models.CharField(_("供稿"), max_length=60, help_text=_("如：太华办姚高华供稿"))
    state = models.CharField(_("状态"), max_length=12, choices=NewsState.choices, default=NewsState.SUBMITTED)
    adopted_title = models.CharField(_("采用标题"), max_length=100, blank=True)
    adopted_body = models.TextField(_("采用正文"), blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(User, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+")
    first_submitted_at = models.DateTimeField(_("首次报送时间"))
    submitted_at = models.DateTimeField(_("报送时间"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(User, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    adopted_by = models.ForeignKey(User, verbose_name=_("采用人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("信息报送")
        verbose_name_plural = _("信息报送")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["receiver", "state", "submitted_at"], name="news_inbox"),
            models.Index(fields=["state", "adopted_at"], name="news_adopted"),
            models.Index(fields=["first_submitted_at", "organization"], name="news_year_org"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(receiver=models.F("organization")),
                                   name="news_not_sent_to_itself"),
            models.CheckConstraint(
                condition=~models.Q(state="adopted") | models.Q(adopted_at__isnull=False),
                name="news_adopted_has_a_time"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:news-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_adopted(self) -> bool:
        return self.state == NewsState.ADOPTED

    @property
    def published_title(self) -> str:
        return self.adopted_title or self.title

    @property
    def published_body(self) -> str:
        return self.adopted_body or self.body

    @property
    def edited(self) -> bool:
        """The editor changed the text when adopting it."""
        return self.is_adopted and (self.adopted_title != self.title or self.adopted_body != self.body)

    def paragraphs(self) -> list[str]:
        return paragraphs_of(self.published_body)

    def submitted_paragraphs(self) -> list[str]:
        return paragraphs_of(self.body)


def paragraphs_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class NewsPhoto(models.Model):
    """A photo of a piece (checked on upload, metadata removed), with its caption."""

    submission = models.ForeignKey(NewsSubmission, on_delete=models.CASCADE, related_name="photos")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("照片说明"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("信息报送照片")
        verbose_name_plural = _("信息报送照片")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.original_name

    @property
    def owning_organization(self) -> Organization:
        return self.submission.organization


class NewsEvent(models.Model):
    """What happened to a piece, in order (append-only): submitted, returned with the reason,
    resubmitted, adopted, withdrawn."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("报送")
        RESUBMITTED = "resubmitted", _("修改后重新报送")
        RETURNED = "returned", _("退回")
        ADOPTED = "adopted", _("采用")
        WITHDRAWN = "withdrawn", _("撤回")

    submission = models.ForeignKey(NewsSubmission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("动作"), max_length=12, choices=Action.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(User, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("操作单位"), on_delete=models.PROTECT,
                                     related_name="+")
    reason = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("信息报送记录")
        verbose_name_plural = _("信息报送记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def owning_organization(self) -> Organization:
        return self.submission.organization
