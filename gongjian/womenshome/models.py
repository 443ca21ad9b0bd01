"""妇女之家 sites, teams, activities, attendance, sign-in, honours, and the figures' roll-ups."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gongjian.kernel.fields import BlindIndexField, EncryptedTextField
from gongjian.kernel.figures import Line
from gongjian.kernel.identity import mask_mobile
from gongjian.kernel.models import Gender, Organization, Person, StoredFile, User

from .workflow import HonourState


def month_of(day: date) -> date:
    """The first day of the month of `day`: the stored month every figure groups by."""
    return day.replace(day=1)


class SiteStatus(models.TextChoices):
    PLANNING = "planning", _("筹建")
    BUILT = "built", _("建成")
    STANDARD = "standard", _("达标")
    MODEL = "model", _("示范")


#: A unit counts as covered once its site is built (建成, 达标 or 示范).
COVERED_STATUSES = (SiteStatus.BUILT, SiteStatus.STANDARD, SiteStatus.MODEL)


class WomensHome(models.Model):
    """The 妇女之家 of one village or community (its women's federation)."""

    organization = models.OneToOneField(
        Organization, verbose_name=_("所属妇联"), on_delete=models.PROTECT, related_name="womens_home"
    )
    name = models.CharField(_("名称"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=SiteStatus.choices,
                              default=SiteStatus.PLANNING)
    established_on = models.DateField(_("建成日期"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    rooms = models.CharField(_("活动室"), max_length=200, blank=True,
                             help_text=_("例如：活动室1间、图书阅览室1间"))
    area_m2 = models.PositiveIntegerField(_("面积（平方米）"), null=True, blank=True)
    facilities = models.TextField(_("设施"), blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("妇女之家")
        verbose_name_plural = _("妇女之家")
        ordering = ["organization__path"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("womenshome:site-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_covered(self) -> bool:
        return self.status in COVERED_STATUSES


class SitePhoto(models.Model):
    site = models.ForeignKey(WomensHome, on_delete=models.CASCADE, related_name="photos")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("妇女之家照片")
        verbose_name_plural = _("妇女之家照片")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.caption or self.file.original_name

    @property
    def owning_organization(self) -> Organization:
        return self.site.organization


class TeamKind(models.TextChoices):
    PROPAGANDA = "propaganda", _("文艺宣传队")
    YANGGE = "yangge", _("秧歌队")
    DRUM = "drum", _("锣鼓队")
    OPERA = "opera", _("自乐班")
    VOLUNTEER = "volunteer", _("志愿服务队")
    DANCE = "dance", _("广场舞队")
    OTHER = "other", _("其他")


class Team(models.Model):
    """A women's team (文艺宣传队, 秧歌队, 锣鼓队, 自乐班, 志愿服务队 …) of an organisation."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("所属组织"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("队名"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=TeamKind.choices)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("活跃"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("文艺队伍")
        verbose_name_plural = _("文艺队伍")
        ordering = ["organization__path", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="team_unique_name",
                                               violation_error_message=_("本组织已有同名队伍。"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("womenshome:team-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("队长")
        MEMBER = "member", _("队员")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="team_memberships")
    role = models.CharField(_("职责"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        ordering = ["team", "-role", "person__name", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.team} {self.person}"

    @property
    def owning_organization(self) -> Organization:
        return self.team.organization


class ActivityKind(models.TextChoices):
    PERFORMANCE = "performance", _("文艺演出")
    AGRI_TRAINING = "agri_training", _("农用技术培训")
    VOCATIONAL_TRAINING = "vocational_training", _("职业技能培训")
    LEGAL = "legal", _("法律宣传")
    HEALTH = "health", _("健康讲座")
    ETIQUETTE = "etiquette", _("礼仪讲座")
    CIVILITY = "civility", _("文明创建")
    MEETING = "meeting", _("会议")
    OTHER = "other", _("其他")


#: The kinds whose sessions count as "training sessions" and whose attendees as "people trained"
#: (组织实用技术培训…, 参训人员…): practical agricultural and vocational training.
TRAINING_KINDS = (ActivityKind.AGRI_TRAINING, ActivityKind.VOCATIONAL_TRAINING)


class Partner(models.TextChoices):
    PARTY_SCHOOL = "party_school", _("党校")
    LABOUR = "labour", _("劳动（人社）")
    AGRICULTURE = "agriculture", _("农业")
    JUSTICE = "justice", _("司法")
    HEALTH = "health", _("卫生健康")
    SCIENCE = "science", _("科技")
    CULTURE = "culture", _("文化")
    EDUCATION = "education", _("教育")
    OTHER = "other", _("其他")


class AttendanceMode(models.TextChoices):
    BY_PERSON = "person", _("按人登记")
    HEAD_COUNT = "headcount", _("只登记人数")


class Activity(models.Model):
    """One activity: a performance, a training, a lecture, a meeting …"""

    organization = models.ForeignKey(
        Organization, verbose_name=_("主办组织"), on_delete=models.PROTECT, related_name="activities"
    )
    site = models.ForeignKey(WomensHome, verbose_name=_("妇女之家"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="activities")
    team = models.ForeignKey(Team, verbose_name=_("演出队伍"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("类型"), max_length=20, choices=ActivityKind.choices)
    # The 创先争优 activity line it is counted under (kernel.figures: a campaign's page reads it).
    line = models.CharField(_("创先争优活动载体"), max_length=20, choices=Line.choices, blank=True, default="",
                            help_text=_("选了哪一类，这次活动就计入创先争优该类活动的统计。"))
    title = models.CharField(_("名称"), max_length=100)
    date = models.DateField(_("日期"))
    # The month of `date`, stored so every figure groups by a plain column (no TruncMonth).
    month = models.DateField(editable=False)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    partners = models.JSONField(_("协办单位"), default=list, blank=True)
    partner_note = models.CharField(_("其他协办单位"), max_length=100, blank=True)
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1, default=0)
    summary = models.TextField(_("活动简介"), blank=True)
    is_public_performance = models.BooleanField(_("公益演出"), default=False)
    is_public = models.BooleanField(_("在门户公开"), default=False,
                                    help_text=_("公开后，名称、日期、地点、简介和标为公开的照片会出现在门户网站上；不公开任何个人信息。"))
    attendance_mode = models.CharField(_("参加人员登记方式"), max_length=10,
                                       choices=AttendanceMode.choices, default=AttendanceMode.BY_PERSON)
    head_count = models.PositiveIntegerField(_("参加人数"), default=0)
    signin_epoch = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["signin_epoch"])

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organization", "date"], name="activity_org_date"),
            models.Index(fields=["date", "kind"], name="activity_date_kind"),
            models.Index(fields=["is_public", "-date"], name="activity_public"),
            models.Index(fields=["line", "date"], name="activity_line_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("womenshome:activity-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_training(self) -> bool:
        return self.kind in TRAINING_KINDS

    @property
    def by_person(self) -> bool:
        return self.attendance_mode == AttendanceMode.BY_PERSON

    def partner_labels(self) -> list[str]:
        labels = dict(Partner.choices)
        out = [str(labels.get(code, code)) for code in self.partners or []]
        if self.partner_note:
            out.append(self.partner_note)
        return out


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    is_public = models.BooleanField(_("可在门户公开"), default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.original_name

    @property
    def owning_organization(self) -> Organization:
        return self.activity.organization


class Attendance(models.Model):
    """One named person at one activity (a person attends an activity once)."""

    class Method(models.TextChoices):
        MANUAL = "manual", _("手工登记")
        QR = "qr", _("扫码签到")
        IMPORT = "import", _("表格导入")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="attendances")
    method = models.CharField(_("登记方式"), max_length=10, choices=Method.choices, default=Method.MANUAL)
    signed_in_at = models.DateTimeField(_("签到时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("参加记录")
        verbose_name_plural = _("参加记录")
        ordering = ["activity", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="attendance_once")]
        indexes = [models.Index(fields=["person", "activity"], name="attendance_person")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person}"

    @property
    def owning_organization(self) -> Organization:
        return self.activity.organization


class SignIn(models.Model):
    """What an attendee typed after scanning the code; matched to the roster or held for review."""

    class State(models.TextChoices):
        MATCHED = "matched", _("已匹配名册")
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("不予确认")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signins")
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, default=Gender.FEMALE)
    mobile = EncryptedTextField(_("手机号码"), purpose="signin.mobile")
    # The person.mobile purpose on purpose: the index compares directly with Person.mobile_index.
    mobile_index = BlindIndexField(source="mobile", purpose="person.mobile")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices)
    submitted_at = models.DateTimeField(_("签到时间"), auto_now_add=True)
    handled_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("扫码签到")
        verbose_name_plural = _("扫码签到")
        ordering = ["submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "mobile_index"], name="signin_once")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.name}"

    @property
    def owning_organization(self) -> Organization:
        return self.activity.organization

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile)


class HonourKind(models.TextChoices):
    SAFE_FAMILY = "safe_family", _("平安家庭")
    FIVE_GOOD_FAMILY = "five_good_family", _("五好文明家庭")
    HARMONIOUS_FAMILY = "harmonious_family", _("和谐家庭")
    VIRTUOUS_FAMILY = "virtuous_family", _("美德家庭")
    LEARNING_FAMILY = "learning_family", _("学习型家庭")
    GOOD_IN_LAWS = "good_in_laws", _("好婆媳")
    GOOD_COUPLE = "good_couple", _("好夫妻")
    GOOD_SISTERS_IN_LAW = "good_sisters_in_law", _("好妯娌")
    GOOD_CHILDREN = "good_children", _("好儿女")
    GOOD_SPOUSE = "good_spouse", _("贤内助")
    MORAL_MODEL = "moral_model", _("道德模范")


FAMILY_HONOURS = (HonourKind.SAFE_FAMILY, HonourKind.FIVE_GOOD_FAMILY, HonourKind.HARMONIOUS_FAMILY,
                  HonourKind.VIRTUOUS_FAMILY, HonourKind.LEARNING_FAMILY)
PERSONAL_HONOURS = (HonourKind.GOOD_IN_LAWS, HonourKind.GOOD_COUPLE, HonourKind.GOOD_SISTERS_IN_LAW,
                    HonourKind.GOOD_CHILDREN, HonourKind.GOOD_SPOUSE)
#: Honours limited by a yearly quota per township.
QUOTA_HONOURS = (HonourKind.MORAL_MODEL,)


class Honour(models.Model):
    """A family or personal honour, or a moral model: nomination → review → 公示 → award."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("推荐组织"), on_delete=models.PROTECT, related_name="honours"
    )
    # The township (or county) federation whose quota the honour counts against.
    quota_organization = models.ForeignKey(
        Organization, verbose_name=_("名额所属"), on_delete=models.PROTECT, related_name="+",
    )
    kind = models.CharField(_("荣誉"), max_length=24, choices=HonourKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    person = models.ForeignKey(Person, verbose_name=_("被推荐人"), on_delete=models.PROTECT,
                               related_name="honours")
    public_name = models.CharField(_("公示名称"), max_length=60,
                                   help_text=_("公示时显示的名称，例如“刘桂兰家庭”。"))
    deeds = models.TextField(_("主要事迹"))
    state = models.CharField(_("状态"), max_length=12, choices=HonourState.choices,
                             default=HonourState.NOMINATED)
    decision_reason = models.TextField(_("审核意见"), blank=True)
    nominated_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(_("推荐时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    awarded_on = models.DateField(_("授予日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["-year", "-nominated_at", "-id"]
        indexes = [models.Index(fields=["quota_organization", "year", "kind", "state"], name="honour_quota")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.public_name}"

    def get_absolute_url(self) -> str:
        return reverse("womenshome:honour-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def category(self) -> str:
        if self.kind in FAMILY_HONOURS:
            return str(_("家庭荣誉"))
        if self.kind in PERSONAL_HONOURS:
            return str(_("个人荣誉"))
        return str(_("道德模范"))


#: 道德模范: "每年至少1-2名" per township — at least the target is put forward, at most the quota
#: awarded (ADR 0045).
DEFAULT_MORAL_MODEL_TARGET = 1
DEFAULT_MORAL_MODEL_QUOTA = 2


class HonourQuota(models.Model):
    """A township's yearly 道德模范 target and ceiling: at least `target` put forward, at most
    `quota` on notice or awarded (defaults 1 and 2)."""

    organization = models.ForeignKey(Organization, verbose_name=_("乡镇（街道）妇联"),
                                     on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("荣誉"), max_length=24, choices=HonourKind.choices,
                            default=HonourKind.MORAL_MODEL)
    target = models.PositiveSmallIntegerField(_("每年至少推荐"), default=DEFAULT_MORAL_MODEL_TARGET)
    quota = models.PositiveSmallIntegerField(_("名额"), default=DEFAULT_MORAL_MODEL_QUOTA)

    class Meta:
        verbose_name = _("荣誉名额")
        verbose_name_plural = _("荣誉名额")
        constraints = [models.UniqueConstraint(fields=["organization", "year", "kind"], name="honour_quota_once")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} {self.kind} {self.quota}"

    @property
    def owning_organization(self) -> Organization:
        return self.organization


class MonthlyFigure(models.Model):
    """Roll-up of the figures per organisation, month and activity kind, kept up to date on write.

    One row for the organiser and one for each of its ancestors, so a township's or county's
    dashboard reads its own few rows instead of rescanning every attendance record."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    activities = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=12, decimal_places=1, default=0)
    attendances = models.PositiveIntegerField(default=0)
    head_count = models.PositiveIntegerField(default=0)
    public_performances = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("月度统计")
        verbose_name_plural = _("月度统计")
        constraints = [models.UniqueConstraint(fields=["organization", "month", "kind"], name="monthly_figure_once")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m} {self.kind}"


class TrainedPerson(models.Model):
    """A person trained within an organisation's subtree in a year, once: the distinct count."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("年度参训人员")
        verbose_name_plural = _("年度参训人员")
        constraints = [models.UniqueConstraint(fields=["organization", "year", "person"], name="trained_person_once")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.person_id}"


class TrainedMonth(models.Model):
    """A person trained at a training organised by an organisation in a month, once (the organiser
    only, not its ancestors): people trained in a subtree over whole months is a distinct count of
    these few rows instead of a walk through every activity and attendance record (ADR 0022)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month (`Activity.month`)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("月度参训人员")
        verbose_name_plural = _("月度参训人员")
        constraints = [models.UniqueConstraint(fields=["organization", "month", "person"],
                                               name="trained_month_once")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m} {self.person_id}"
