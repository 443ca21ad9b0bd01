"""党务公开 records: disclosures and their immutable published versions, the publication Merkle
log, the public board counter, search documents, suggestions, the calendar and inspections."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.deadlines import Period
from gongjian.kernel.fields import EncryptedTextField
from gongjian.kernel.models import Organization, StoredFile, User
from gongjian.kernel.tracking import TrackedByPublic

from .workflow import State


class Category(models.TextChoices):
    POLICY = "policy", _("上级路线方针政策")
    CENTRAL_WORK = "central_work", _("街道/村中心工作")
    SELF_BUILDING = "self_building", _("党组织自身建设")
    LIVELIHOOD = "livelihood", _("民生工程落实")
    CADRES = "cadres", _("干部队伍建设")
    OTHER = "other", _("其他事项")


class Channel(models.TextChoices):
    BOARD = "board", _("公开栏")
    WEB = "web", _("网站")
    MEETING = "meeting", _("会议")
    DOCUMENT = "document", _("文件")


class Timing(models.TextChoices):
    FIXED = "fixed", _("固定")
    REGULAR = "regular", _("常规")
    STAGE = "stage", _("阶段")
    TEMPORARY = "temporary", _("临时")
    HOT = "hot", _("热点")


class Scope(models.TextChoices):
    PARTY = "party", _("党内公开")
    PUBLIC = "public", _("向社会公开")
    PARTY_FIRST = "party_first", _("先党内后党外")


class Stage(models.TextChoices):
    FINAL = "final", _("正式稿")
    PRELIMINARY = "preliminary", _("征求意见稿")


class RegularPeriod(models.TextChoices):
    """The periods a regular (常规) item is replaced at: the kernel's, less yearly."""

    MONTHLY = Period.MONTHLY.value, Period.MONTHLY.label
    QUARTERLY = Period.QUARTERLY.value, Period.QUARTERLY.label
    HALF_YEARLY = Period.HALF_YEARLY.value, Period.HALF_YEARLY.label


REGULAR_PERIODS = RegularPeriod.choices


class Disclosure(models.Model):
    """One item of party-affairs disclosure: the working copy plus its life-cycle state.

    What the public reads is never this row but its published `DisclosureVersion`s."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="disclosures"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    category = models.CharField(_("公开内容类别"), max_length=20, choices=Category.choices)
    channels = models.JSONField(_("公开形式"), default=list)
    timing = models.CharField(_("公开时间类型"), max_length=12, choices=Timing.choices)
    period = models.CharField(_("更换周期"), max_length=12, choices=REGULAR_PERIODS, blank=True)
    scope = models.CharField(_("公开范围"), max_length=12, choices=Scope.choices)
    public_from = models.DateField(_("向社会公开日期"), null=True, blank=True)
    stage = models.CharField(_("稿别"), max_length=12, choices=Stage.choices, default=Stage.FINAL)
    opinions_until = models.DateField(_("征求意见截止"), null=True, blank=True)
    is_major = models.BooleanField(_("重大或敏感事项"), default=False)
    correction_note = models.TextField(_("更正/修订说明"), blank=True)
    attachments = models.ManyToManyField(StoredFile, verbose_name=_("附件"), blank=True, related_name="+")

    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    review_comment = models.TextField(_("审核意见"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # Denormalised for the public board (kept by services in the publishing transaction):
    # `is_live` = has a published version and is not withdrawn; `visible_from` = the day the
    # public may see it (null: party members only).
    current_version = models.ForeignKey(
        "DisclosureVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_live = models.BooleanField(default=False)
    visible_from = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(_("最近公开时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("党务公开事项")
        verbose_name_plural = _("党务公开事项")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "category", "is_live", "published_at"], name="disc_board"),
            models.Index(fields=["organization", "is_live", "published_at"], name="disc_org_live"),
            models.Index(fields=["organization", "state"], name="disc_org_state"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disclosure:detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    def is_public_on(self, day: Any) -> bool:
        return self.is_live and self.visible_from is not None and self.visible_from <= day


class MeetingRecord(models.Model):
    """The all-member meeting (全体党员会议) a major or sensitive item needs before submission."""

    disclosure = models.OneToOneField(Disclosure, on_delete=models.CASCADE, related_name="meeting")
    held_on = models.DateField(_("会议日期"))
    members_expected = models.PositiveIntegerField(_("应到党员"))
    members_present = models.PositiveIntegerField(_("实到党员"))
    resolution = models.TextField(_("会议决议"))
    minutes = models.ForeignKey(StoredFile, verbose_name=_("会议记录"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("党员大会记录")
        verbose_name_plural = _("党员大会记录")

    def __str__(self) -> str:
        return f"{self.disclosure} {self.held_on}"


class ImmutableQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("published records never change; publish a new version")

    def delete(self) -> Any:
        raise PermissionError("published records are never deleted")


class Immutable(models.Model):
    """Abstract: written once. A model guard here, a database trigger in the migrations (T-01)."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("published records never change; publish a new version")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("published records are never deleted")


class DisclosureVersion(Immutable):
    """A published version: frozen content, one leaf of the publication log (T-01, T-02)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    category = models.CharField(_("公开内容类别"), max_length=20, choices=Category.choices)
    channels = models.JSONField(_("公开形式"), default=list)
    timing = models.CharField(_("公开时间类型"), max_length=12, choices=Timing.choices)
    period = models.CharField(_("更换周期"), max_length=12, blank=True)
    scope = models.CharField(_("公开范围"), max_length=12, choices=Scope.choices)
    public_from = models.DateField(_("向社会公开日期"), null=True, blank=True)
    stage = models.CharField(_("稿别"), max_length=12, choices=Stage.choices)
    opinions_until = models.DateField(_("征求意见截止"), null=True, blank=True)
    correction_note = models.TextField(_("更正说明"), blank=True)
    published_at = models.DateTimeField(_("公开时间"))
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    leaf_index = models.BigIntegerField(_("发布记录序号"), unique=True)
    leaf_hash = models.BinaryField(max_length=64)

    class Meta:
        verbose_name = _("公开版本")
        verbose_name_plural = _("公开版本")
        ordering = ["disclosure", "number"]
        constraints = [models.UniqueConstraint(fields=["disclosure", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"

    def get_absolute_url(self) -> str:
        return reverse("portal:disclosure-version", args=[self.disclosure_id, self.number])

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class VersionAttachment(Immutable):
    """An attachment as published: its digest is part of the version's leaf (T-03)."""

    version = models.ForeignKey(DisclosureVersion, on_delete=models.PROTECT, related_name="files")
    stored = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("公开附件")
        verbose_name_plural = _("公开附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Withdrawal(Immutable):
    """Withdrawing an item is an event of its own, also a leaf of the log; the history stays."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="withdrawals")
    version_number = models.PositiveIntegerField()
    reason = models.TextField(_("撤回说明"))
    at = models.DateTimeField(_("撤回时间"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    leaf_index = models.BigIntegerField(unique=True)
    leaf_hash = models.BinaryField(max_length=64)

    class Meta:
        verbose_name = _("撤回记录")
        verbose_name_plural = _("撤回记录")

    def __str__(self) -> str:
        return f"{self.disclosure} withdrawn"


class PublicationLog(models.Model):
    """The row that serialises appends (select_for_update) and counts the leaves (B-05, I-08)."""

    name = models.CharField(max_length=40, unique=True)
    algo = models.CharField(max_length=10, default="sha256")
    size = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("发布记录")
        verbose_name_plural = _("发布记录")

    def __str__(self) -> str:
        return f"{self.name} ({self.size})"


class MerkleNode(Immutable):
    """One perfect-subtree hash of the publication log; (log, level, index) is written once."""

    log = models.ForeignKey(PublicationLog, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=64)

    class Meta:
        verbose_name = _("默克尔树节点")
        verbose_name_plural = _("默克尔树节点")
        constraints = [models.UniqueConstraint(fields=["log", "level", "index"], name="merkle_node_unique")]

    def __str__(self) -> str:
        return f"({self.level}, {self.index})"


class TreeHead(Immutable):
    """A signed tree head (STH): size, root and time, signed with the log's Ed25519 key."""

    log = models.ForeignKey(PublicationLog, on_delete=models.PROTECT, related_name="+")
    size = models.BigIntegerField()
    root_hash = models.BinaryField(max_length=64)
    timestamp = models.DateTimeField()
    key_id = models.CharField(max_length=32)
    signature = models.BinaryField(max_length=128)

    class Meta:
        verbose_name = _("签名树头")
        verbose_name_plural = _("签名树头")
        ordering = ["-size", "-id"]
        indexes = [models.Index(fields=["log", "size"], name="treehead_log_size")]

    def __str__(self) -> str:
        return f"STH {self.size}"


class Board(models.Model):
    """Per organisation: a counter bumped whenever its public board changes, so the rendered
    board can be cached under (organisation, revision) and never served stale."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="disclosure_board")
    revision = models.PositiveBigIntegerField(default=0)
    # The earliest future day a party-first item opens to the public (the board changes then).
    next_opening = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("公开栏")
        verbose_name_plural = _("公开栏")

    def __str__(self) -> str:
        return f"{self.organization} r{self.revision}"


class SearchDocument(models.Model):
    """The jieba-segmented text of an item's current version, for full-text search. Items
    for party members only are never indexed (Z-04); party-first ones carry their opening day."""

    disclosure = models.OneToOneField(Disclosure, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    visible_from = models.DateField()
    terms = models.TextField()

    class Meta:
        verbose_name = _("检索文本")
        verbose_name_plural = _("检索文本")

    def __str__(self) -> str:
        return str(self.disclosure_id)


class Suggestion(TrackedByPublic):
    """A message left in the 意见箱 by anyone, without an account or an ID number (P-04)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已收到")
        ASSIGNED = "assigned", _("办理中")
        ANSWERED = "answered", _("已答复")

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="suggestions"
    )
    disclosure = models.ForeignKey(
        Disclosure, verbose_name=_("针对的公开事项"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="suggestions",
    )
    content = models.TextField(_("意见内容"))
    contact = EncryptedTextField(_("联系方式"), purpose="suggestion.contact")
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    assignee = models.ForeignKey(
        User, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("答复期限"))
    reply = models.TextField(_("答复"), blank=True)
    reply_public = models.BooleanField(_("公开答复"), default=False)
    needs_rectification = models.BooleanField(_("需要整改"), default=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "status", "due_on"], name="suggestion_due")]

    def __str__(self) -> str:
        return self.tracking_code

    def get_absolute_url(self) -> str:
        return reverse("disclosure:suggestion-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class Inspection(models.Model):
    """督查: the leading group scores an organisation on the six points of 第四篇."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        CLOSED = "closed", _("已销号")

    POINTS = (
        ("content", _("内容全面")),
        ("procedure", _("程序规范")),
        ("form", _("形式恰当")),
        ("rules", _("制度健全")),
        ("execution", _("执行到位")),
        ("effect", _("效果明显")),
    )
    MAX_POINT = 10

    organization = models.ForeignKey(
        Organization, verbose_name=_("被检查组织"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspector_organization = models.ForeignKey(
        Organization, verbose_name=_("检查组织"), on_delete=models.PROTECT, related_name="+"
    )
    inspected_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField(_("检查日期"))
    content = models.PositiveSmallIntegerField(_("内容全面"))
    procedure = models.PositiveSmallIntegerField(_("程序规范"))
    form = models.PositiveSmallIntegerField(_("形式恰当"))
    rules = models.PositiveSmallIntegerField(_("制度健全"))
    execution = models.PositiveSmallIntegerField(_("执行到位"))
    effect = models.PositiveSmallIntegerField(_("效果明显"))
    findings = models.TextField(_("发现的问题"), blank=True)
    rectification_deadline = models.DateField(_("整改期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} {self.inspected_on}"

    def get_absolute_url(self) -> str:
        return reverse("disclosure:inspection-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name, _label in self.POINTS)

    def scores(self) -> list[tuple[str, int]]:
        return [(str(label), getattr(self, name)) for name, label in self.POINTS]


class InspectionFollowUp(models.Model):
    """A follow-up visit on an inspection's rectification; the last one may close it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="follow_ups")
    note = models.TextField(_("跟踪情况"))
    closes = models.BooleanField(_("整改到位，销号"), default=False)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("督查跟踪")
        verbose_name_plural = _("督查跟踪")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.note[:30]


class Rectification(models.Model):
    """整改: opened by a suggestion, an inspection or a reviewer; done when a new version is out."""

    class Source(models.TextChoices):
        SUGGESTION = "suggestion", _("群众意见")
        INSPECTION = "inspection", _("督查")
        REVIEW = "review", _("上级党组织")

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="rectifications")
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    suggestion = models.ForeignKey(Suggestion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改期限"))
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    done_version = models.ForeignKey(
        DisclosureVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.description[:30]

    @property
    def owning_organization(self) -> Organization:
        return self.disclosure.organization


class DueItem(models.Model):
    """One due date of a regularly rotated item (常规 timing): done on time, late, or open."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="due_items")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("应公开日期"))
    done_on = models.DateField(_("实际公开日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("定期公开计划")
        verbose_name_plural = _("定期公开计划")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["disclosure", "due_on"], name="due_item_unique")]
        indexes = [models.Index(fields=["organization", "due_on"], name="due_item_org")]

    def __str__(self) -> str:
        return f"{self.disclosure_id} {self.due_on}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization
