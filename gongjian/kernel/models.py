"""The kernel's records: places, the organisation tree, people, positions, accounts, audit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from .context import Acting
from .fields import BlindIndexField, EncryptedTextField, RegistryField
from .identity import mask_id_number, mask_mobile
from .tracking import TrackedByPublic


class Region(models.Model):
    """A place with its 12-digit statistical division code (统计用区划代码)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县/市/区")
        TOWNSHIP = "township", _("乡镇/街道")
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Organization(MP_Node):
    """One node of the organisation forest; a subtree is one indexed prefix match on `path`."""

    class Kind(models.TextChoices):
        COUNTY_FEDERATION = "county_fed", _("县（市）妇联")
        TOWNSHIP_FEDERATION = "township_fed", _("乡镇（街道）妇联")
        VILLAGE_FEDERATION = "village_fed", _("村（社区）妇联")
        PARTY_COMMITTEE = "party_committee", _("党委")
        PARTY_BRANCH = "party_branch", _("党支部")
        LEADING_GROUP = "leading_group", _("领导小组")
        OFFICE = "office", _("办公室")
        WORK_GROUP = "work_group", _("工作小组")
        ENTERPRISE_COMMITTEE = "enterprise_wc", _("非公企业妇委会")

    FEDERATION_KINDS = (Kind.COUNTY_FEDERATION, Kind.TOWNSHIP_FEDERATION, Kind.VILLAGE_FEDERATION)
    PARTY_KINDS = (Kind.PARTY_COMMITTEE, Kind.PARTY_BRANCH)

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在地"), on_delete=models.PROTECT, related_name="organizations"
    )
    # Closed, never deleted (records refer to it): `is_active` False and the day it was closed.
    is_active = models.BooleanField(_("在用"), default=True)
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True)

    node_order_by = ["kind", "name"]

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "name"], name="org_unique_per_place"),
            # Closed on a day, or in use: never one without the other.
            models.CheckConstraint(
                condition=models.Q(is_active=True, closed_on__isnull=True)
                | models.Q(is_active=False, closed_on__isnull=False),
                name="org_closed_on_a_day"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kernel:organization-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self

    @property
    def is_party(self) -> bool:
        return self.kind in self.PARTY_KINDS

    @property
    def is_federation(self) -> bool:
        return self.kind in self.FEDERATION_KINDS

    def contains(self, other: Organization) -> bool:
        """True if `other` is this organisation or lies below it."""
        return other.path.startswith(self.path)


class PoliticalStatus(models.TextChoices):
    MASSES = "masses", _("群众")
    LEAGUE_MEMBER = "league", _("共青团员")
    ACTIVIST = "activist", _("入党积极分子")
    DEVELOPMENT_TARGET = "development", _("发展对象")
    PROBATIONARY_MEMBER = "probationary", _("预备党员")
    PARTY_MEMBER = "member", _("中共党员")


class Gender(models.TextChoices):
    FEMALE = "F", _("女")
    MALE = "M", _("男")


class Person(models.Model):
    """A resident, member or cadre. ID number and mobile are encrypted and shown masked."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = EncryptedTextField(_("身份证号码"), purpose="person.id_number")
    id_number_index = BlindIndexField(source="id_number", purpose="person.id_number")
    mobile = EncryptedTextField(_("手机号码"), purpose="person.mobile")
    mobile_index = BlindIndexField(source="mobile", purpose="person.mobile")
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族", blank=True)
    political_status = models.CharField(
        _("政治面貌"), max_length=16, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("登记组织"), on_delete=models.PROTECT, related_name="people",
        db_index=False,  # person_org_name (organization, name, id) serves every lookup by it
    )
    home_region = models.ForeignKey(
        Region, verbose_name=_("所在村/社区"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="residents",
    )
    party_organization = models.ForeignKey(
        Organization, verbose_name=_("党组织关系所在"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="party_members",
        db_index=False,  # person_party_organization: only the people who have one
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The county whose registry holds her: an ID number is unique per county (ADR 0026).
    registry = RegistryField(_("登记县"), source="organization")

    history = HistoricalRecords(
        excluded_fields=["id_number", "mobile", "id_number_index", "mobile_index", "registry"]
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["organization", "name", "id"], name="person_org_name"),
            # Lists are ordered by name: without this every page sorts the whole table.
            models.Index(fields=["name", "id"], name="person_name_id"),
            # Exact-match search by ID number or mobile (the unique constraint below is partial:
            # a lookup with a bound parameter cannot use it).
            models.Index(fields=["id_number_index"], name="person_id_number_index"),
            models.Index(fields=["mobile_index"], name="person_mobile_index"),
            # Most people (every imported resident) have no party organisation: they stay out.
            models.Index(fields=["party_organization"], name="person_party_organization",
                         condition=models.Q(party_organization__isnull=False)),
        ]
        constraints = [
            # Once per county: another county's registry is another tenant (ADR 0026).
            models.UniqueConstraint(
                fields=["registry", "id_number_index"], condition=~models.Q(id_number_index=""),
                name="person_unique_id_number_in_registry",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kernel:person-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def is_party_member(self) -> bool:
        return self.political_status in (
            PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY_MEMBER
        )

    def age_on(self, day: date) -> int | None:
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class Position(models.Model):
    """A person holding a title in an organisation for a term; it is what grants staff powers."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主要负责人")
        DEPUTY = "deputy", _("副职")
        STAFF = "staff", _("工作人员")
        MEMBER = "member", _("成员")

    STAFF_ROLES = (Role.LEAD, Role.DEPUTY, Role.STAFF)

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="positions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("职务"), max_length=50)
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    note = models.CharField(_("兼任/说明"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    start_date = models.DateField(_("任期开始"), default=date.today)
    end_date = models.DateField(_("任期结束"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        ordering = ["organization", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.organization} {self.title} {self.person}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    def clean(self) -> None:
        from .duties import check_position_holder

        # By id: a form without a valid person still reaches clean(), and must not raise here.
        check_position_holder(self.person_id)

    def is_current(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


def _new_access_stamp() -> str:
    import secrets

    return secrets.token_hex(8)


class User(AbstractUser):
    """An account; staff powers come from the linked person's positions, never from flags."""

    class AdminRole(models.TextChoices):
        NONE = "", _("无")
        SYSTEM = "system", _("系统管理员")
        SECURITY = "security", _("安全管理员")
        AUDITOR = "auditor", _("审计管理员")

    person = models.OneToOneField(
        Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="user",
    )
    admin_role = models.CharField(
        _("管理角色"), max_length=10, choices=AdminRole.choices, default="", blank=True
    )
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Changes whenever what a request loads about her may have changed (kernel.principal).
    access_stamp = models.CharField(max_length=16, default=_new_access_stamp, editable=False)
    # When a security admin last (re)activated the account: a dormant account turned back on gets
    # its own 90 days before the dormant-account job looks at it again.
    activated_at = models.DateTimeField(_("启用时间"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login", "access_stamp"])

    # Not stored: set on each request by ActingOrganizationMiddleware (pages) or by the API's
    # token authentication — the position she acts in and all her current ones.
    acting: Acting | None = None
    positions: list[Position]
    # Set by kernel.principal when a request loads her: her current positions and her confirmed
    # second factor's stamp ("" when none), read with the account.
    principal_positions: list[Position] | None = None
    principal_grants: list[Grant] | None = None  # her unrevoked grants, from the same snapshot
    factor_stamp: str | None = None

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")

    def display_name(self) -> str:
        return self.person.name if self.person else self.username

    def current_positions(self) -> models.QuerySet[Position]:
        """The positions she may act in; an admin-role account acts in none (Z-06)."""
        if self.person_id is None or self.admin_role:
            return Position.objects.none()
        today = timezone.localdate()
        return (
            Position.objects.filter(person_id=self.person_id, start_date__lte=today)
            .filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=today))
            .select_related("organization")
            .order_by("sort_order", "id")
        )


class ApiToken(models.Model):
    """A bearer token for the API, bound to the user and the organisation she acted for (Z-02)."""

    key_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    # Kept at most once a minute by kernel.apiauth: a token unused for the idle limit stops working.
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked = models.BooleanField(_("已吊销"), default=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    # The account's session hash (an HMAC of its password hash) when issued: a changed password
    # changes it, and the token stops, as sessions do (issue 12).
    password_stamp = models.CharField(max_length=128, blank=True, editable=False)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"token #{self.pk} {self.user}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, position: Position | None, ttl: timedelta) -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            key_hash=cls.hash_key(key), user=user, position=position,
            expires_at=timezone.now() + ttl, password_stamp=user.get_session_auth_hash(),
        )
        return token, key


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit events are append-only")

    def delete(self) -> Any:
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    """One append-only, hash-chained audit record (L-01..L-04)."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        DENIED = "denied", _("拒绝")

    chain_index = models.BigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(_("账户名"), max_length=150, blank=True)
    acting_organization = models.ForeignKey(
        Organization, verbose_name=_("代表组织"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    event = models.CharField(_("事件"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices)
    prev_hash = models.CharField(max_length=64, editable=False)
    row_hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-chain_index"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.chain_index} {self.event}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit events are append-only")


class AuditHead(models.Model):
    """The single row that serialises appends to the audit chain and remembers its tip."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    count = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"{self.count} {self.last_hash[:12]}"


class StoredFile(models.Model):
    """An uploaded file that passed the checks (I-04): random storage name, hash, owner scope.

    It is never served by URL; a view that has checked access streams it (P-03)."""

    token = models.CharField(max_length=43, unique=True, editable=False)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Photos (P-04): upright, bounded and stripped of metadata when stored (or by `gongjian
    # clean_photos` for those stored before); a small copy is kept beside the file.
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    image_cleaned = models.BooleanField(_("照片已去除位置等元数据"), default=False)
    thumbnail_size = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class RateCounter(models.Model):
    """Hits per key per fixed window, shared by every server process (I-07)."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="rate_counter_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start}: {self.count}"


class SubmissionKey(models.Model):
    """A form sent once (ADR 0048): the key its page carried, remembered with where the first send
    led, so a phone that sends it again after a dropped connection gets the same answer, not a
    second record. Unique per scope; a staff key belongs to its user."""

    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=64)
    user = models.ForeignKey("User", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    result = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="submission_key_once")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class ShortLink(models.Model):
    """A short address (/s/<code>/) of a public page, for sharing into a group chat. Made only by
    public pages, for what they show; the code is random, so it names nothing that can be counted
    through, and the redirect goes to the public page, which checks again that it is public."""

    code = models.CharField(max_length=12, unique=True)
    path = models.CharField(max_length=300, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"/s/{self.code}/ → {self.path}"


class Notification(models.Model):
    """A message to the staff of an organisation (reminders, things to handle), shown in the workspace."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="notifications"
    )
    code = models.CharField(max_length=80)
    message = models.CharField(_("内容"), max_length=300)
    link = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    # The record whose task this reminder is about ("app_label.model:pk"): the service that moves
    # the task on clears its reminders (kernel.notifications.resolve).
    subject = models.CharField(max_length=80, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "dedupe_key"], condition=~models.Q(dedupe_key=""),
                                    name="notification_dedupe"),
        ]
        indexes = [
            models.Index(fields=["subject"], condition=models.Q(read_at__isnull=True) & ~models.Q(subject=""),
                         name="notification_open_subject"),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class PushChannel(models.Model):
    """Where one account's 待办 are pushed beyond the page: a 钉钉 or 企业微信 group robot, or SMS,
    at once or as a daily digest (ADR 0046). The address is a secret: stored encrypted, shown masked."""

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", _("钉钉群机器人")
        WECOM = "wecom", _("企业微信群机器人")
        SMS = "sms", _("短信")

    class Cadence(models.TextChoices):
        IMMEDIATE = "immediate", _("有新待办时立即推送")
        DAILY = "daily", _("每天早上汇总推送一次")

    user = models.ForeignKey(User, verbose_name=_("账户"), on_delete=models.CASCADE, related_name="push_channels")
    kind = models.CharField(_("推送方式"), max_length=10, choices=Kind.choices)
    cadence = models.CharField(_("推送频率"), max_length=10, choices=Cadence.choices, default=Cadence.IMMEDIATE)
    # The robot's webhook address (its access token is in it) or the mobile number for SMS.
    address = EncryptedTextField(_("地址"), purpose="kernel.push.address")
    # 钉钉 "加签" secret (SEC…), when the robot's security setting asks for a signature.
    secret = EncryptedTextField(_("加签密钥"), purpose="kernel.push.secret", blank=True)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    # Delivery state, kept by kernel.pushes only.
    pushed_through = models.BigIntegerField(default=0, editable=False)  # the last reminder id pushed
    digest_on = models.DateField(null=True, blank=True, editable=False)  # the last day a digest went
    last_sent_at = models.DateTimeField(_("最近推送"), null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(default=0, editable=False)
    retry_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(_("失败原因"), max_length=300, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("待办推送")
        verbose_name_plural = _("待办推送")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="push_channel_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.masked_address}"

    @property
    def masked_address(self) -> str:
        """What a page may show: the robot's host and the last 4 characters, or 138****8000."""
        if self.kind == self.Kind.SMS:
            return mask_mobile(self.address)
        from urllib.parse import urlsplit

        host = urlsplit(self.address).hostname or ""
        return f"{host}/…{self.address[-4:]}" if len(self.address) > 12 else "****"


class Grant(models.Model):
    """An explicit extra permission for one account, within one organisation's subtree, for a time.

    It never widens what the account sees: the object must still lie in the acting subtree."""

    user = models.ForeignKey(User, verbose_name=_("账户"), on_delete=models.CASCADE, related_name="grants")
    permission = models.CharField(_("权限"), max_length=80)
    organization = models.ForeignKey(
        Organization, verbose_name=_("适用组织"), on_delete=models.CASCADE, related_name="grants"
    )
    reason = models.CharField(_("原因"), max_length=200)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("授权")
        verbose_name_plural = _("授权")

    def __str__(self) -> str:
        return f"{self.user} {self.permission} @ {self.organization}"


class AdminRoleRequest(models.Model):
    """One security administrator asks to change an account's admin role; a second one decides.

    Separation of duties (Z-06, ADR 0025): nobody changes an admin role on her own."""

    class State(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("已驳回")
        WITHDRAWN = "withdrawn", _("已撤回")
        EXPIRED = "expired", _("已过期")

    account = models.ForeignKey(
        User, verbose_name=_("账户"), on_delete=models.CASCADE, related_name="admin_role_requests"
    )
    role = models.CharField(_("申请的管理角色"), max_length=10, choices=User.AdminRole.choices, blank=True)
    previous_role = models.CharField(
        _("原管理角色"), max_length=10, choices=User.AdminRole.choices, blank=True
    )
    reason = models.CharField(_("原因"), max_length=200)
    requested_by = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(User, verbose_name=_("处理人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("管理角色申请")
        verbose_name_plural = _("管理角色申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per account: a second one would race the first to confirmation.
            models.UniqueConstraint(fields=["account"], condition=models.Q(state="pending"),
                                    name="admin_role_request_one_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.account} → {self.get_role_display()} ({self.get_state_display()})"

    def is_open(self, now: datetime | None = None) -> bool:
        return self.state == self.State.PENDING and self.expires_at > (now or timezone.now())


class PublicNotice(models.Model):
    """公示: any record put before the public for a period, open to objections (kernel.notices)."""

    class State(models.TextChoices):
        OPEN = "open", _("公示中")
        CLOSED = "closed", _("已结束")

    class Outcome(models.TextChoices):
        PENDING = "", _("待定")
        PASSED = "passed", _("公示无异议，通过")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    organization = models.ForeignKey(
        Organization, verbose_name=_("公示单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("公示标题"), max_length=200)
    body = models.TextField(_("公示内容"))
    days = models.PositiveSmallIntegerField(_("公示天数"))
    working_days = models.BooleanField(_("按工作日计算"), default=False)
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default="",
                               blank=True)
    outcome_reason = models.TextField(_("结果说明"), blank=True)
    opened_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="notice_target"),
            models.Index(fields=["state", "ends_on"], name="notice_state_end"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"],
                                    condition=models.Q(state="open"), name="notice_one_open_per_target"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    def is_running(self, today: date | None = None) -> bool:
        """Open, started and not yet past its last day: objections are accepted."""
        day = today or timezone.localdate()
        return self.state == self.State.OPEN and self.starts_on <= day <= self.ends_on

    def period_over(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.ends_on

    @property
    def outcome_text(self) -> str:
        """The outcome as a notice board says it: a notice that passed after its objections were
        answered and found groundless did not pass "without objection" (issue 13)."""
        if self.outcome == self.Outcome.PASSED:
            if self.objections.exists():
                return str(_("公示期满，异议不成立，通过"))
            return str(_("公示期满无异议，通过"))
        return str(self.get_outcome_display())


class Objection(TrackedByPublic):
    """An objection from the public to a notice, followed with a tracking code and password."""

    class State(models.TextChoices):
        RECEIVED = "received", _("已收到，待答复")
        ANSWERED = "answered", _("已答复")

    notice = models.ForeignKey(PublicNotice, verbose_name=_("公示"), on_delete=models.PROTECT,
                               related_name="objections")
    content = models.TextField(_("异议内容"))
    contact = EncryptedTextField(_("联系方式"), purpose="objection.contact")
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    submitted_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.RECEIVED)
    upheld = models.BooleanField(_("异议成立"), null=True, blank=True)
    reply = models.TextField(_("答复"), blank=True)
    replied_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission_key"], condition=~models.Q(submission_key=""),
                                    name="objection_submission_once"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def owning_organization(self) -> Organization:
        return self.notice.organization


# --- pairings ---------------------------------------------------------------------------------------
# 结对 (ADR: a shared mechanism in kernel/pairings.py): an established woman (mentor) paired with
# one who needs her (mentee) by an organisation, for a purpose a body of work registers
# (development's 牵手结对, support's 爱心妈妈), with the meetings or visits logged.


class PairingPurpose(models.TextChoices):
    DEVELOPMENT = "development", _("牵手结对（致富帮带）")
    CARE = "care", _("爱心妈妈结对")


class Pairing(models.Model):
    """One pair: who keeps it (organisation), the mentor and the mentee, and how often they meet."""

    organization = models.ForeignKey(Organization, verbose_name=_("结对组织"), on_delete=models.PROTECT,
                                     related_name="pairings")
    kind = models.CharField(_("结对类别"), max_length=12, choices=PairingPurpose.choices)
    mentor = models.ForeignKey(Person, verbose_name=_("帮带人"), on_delete=models.PROTECT,
                               related_name="pairings_as_mentor")
    mentee = models.ForeignKey(Person, verbose_name=_("结对对象"), on_delete=models.PROTECT,
                               related_name="pairings_as_mentee")
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    interval_days = models.PositiveSmallIntegerField(_("联系周期（天）"), default=30)
    # What a pair is about and what a visit found can describe a child or a woman's troubles: SM4 at
    # rest like every narrative (P-01).
    note = EncryptedTextField(_("结对内容"), purpose="kernel.pairing.note", blank=True)
    last_met_on = models.DateField(_("最近一次联系"), null=True, blank=True)
    # (last_met_on or started_on) + interval_days, kept by the services: the overdue board is one
    # indexed range query on it, the same on SQLite and PostgreSQL.
    due_on = models.DateField(_("下次联系截止"))
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["kind", "ended_on", "due_on"], name="pairing_purpose_due")]

    def __str__(self) -> str:
        return f"{self.mentor.name} — {self.mentee.name}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class PairingMeeting(models.Model):
    """One meeting or visit of a pair (the photo is the organisation's record, never public)."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("日期"))
    content = EncryptedTextField(_("帮带内容"), purpose="kernel.pairing.meeting")
    photo = models.ForeignKey(StoredFile, verbose_name=_("照片"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("结对联系记录")
        verbose_name_plural = _("结对联系记录")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.pairing} {self.date}"

    @property
    def owning_organization(self) -> Organization:
        return self.pairing.organization


# --- scheduled jobs (kernel/schedule.py) ------------------------------------------------------------


class ScheduledRun(models.Model):
    """One run of a periodic job for one slot (a day, an hour). The (job, slot) pair is unique: two
    schedulers on two servers cannot both start it, and a worker claims it with one conditional
    update, so it runs once."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        SUCCEEDED = "succeeded", _("成功")
        RETRYING = "retrying", _("失败，等待重试")
        FAILED = "failed", _("失败")

    job = models.CharField(_("任务"), max_length=60)
    slot = models.DateTimeField(_("计划时间"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("已运行次数"), default=0)
    retry_at = models.DateTimeField(_("重试时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    output = models.CharField(_("结果"), max_length=500, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("计划任务运行")
        verbose_name_plural = _("计划任务运行")
        ordering = ["-slot", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once")]
        indexes = [models.Index(fields=["state", "retry_at"], name="scheduled_run_state")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot:%Y-%m-%d %H:%M}"


class RetentionHold(models.Model):
    """A legal or archival hold (P-06): the retention purge leaves this record as it is, whatever
    its age. Set and lifted with `gongjian retention_hold`, audited."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    reason = models.CharField(_("保留原因"), max_length=200)
    set_by = models.CharField(_("设置人"), max_length=150)
    set_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("保留（暂停清理）")
        verbose_name_plural = _("保留（暂停清理）")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="retention_hold_once")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


class SecondFactor(models.Model):
    """Her TOTP authenticator (A-05): pending until a first code confirms it. `stamp` changes with
    every enrolment; sessions and remembered devices name it, so a reset ends both."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    secret = EncryptedTextField(_("密钥"), purpose="account.totp_secret")
    stamp = models.CharField(max_length=32, unique=True, editable=False)
    # The newest 30-second step a code was accepted for: that code, and every older one, is spent.
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("启用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("两步验证")
        verbose_name_plural = _("两步验证")

    def __str__(self) -> str:
        return f"second factor of {self.user_id}"


class RecoveryCode(models.Model):
    """A one-time recovery code, kept only as a keyed hash; used once, then spent."""

    factor = models.ForeignKey(SecondFactor, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self) -> str:
        return f"recovery code #{self.pk}"
