"""关爱: care recipients (留守儿童, 留守老人, 贫困妇女, 单亲家庭 …) and their needs; the 爱心妈妈 pairings
themselves are kernel.pairings (purpose `care`).

A recipient is a kernel Person registered by a federation (usually the village's) in a category,
with the needs noted (encrypted: they can hold health details) and, for a child, the guardian's
name and phone (encrypted, masked in lists). P-05: `minor_under_14` is computed from the person's
birth date (or ID number) whenever the record is saved and re-derived when read (`is_minor`), and a
minor's or a sensitive record's details reach only the keeping organisation's own staff and the
leads above it (`support.view_sensitive_recipient`); every record states its legal basis, and a
minor's is the guardian's consent or the statutory duty. A record is ended, never deleted.

`CarePairing` and `CareVisit` are proxies of the kernel's Pairing and PairingMeeting: the same
rows (reach `Subtree()` inherited), named apart so the routes of 爱心妈妈 declare their own record
type (the role × route matrix builds a care pairing for them, not a 牵手结对 one)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.fields import EncryptedTextField
from gongjian.kernel.identity import mask_mobile, mask_name
from gongjian.kernel.models import Organization, Pairing, PairingMeeting, Person, User

from .case import LegalBasis

__all__ = ["CarePairing", "CareRecipient", "CareVisit", "RecipientCategory", "SENSITIVE_RECIPIENT_CATEGORIES",
           "birth_date_of", "under_14"]


class RecipientCategory(models.TextChoices):
    LEFT_BEHIND_CHILD = "left_behind_child", _("留守儿童")
    LEFT_BEHIND_ELDER = "left_behind_elder", _("留守老人")
    MIGRANT_CHILD = "migrant_child", _("流动儿童")
    POOR_WOMAN = "poor_woman", _("贫困妇女")
    SINGLE_PARENT = "single_parent", _("单亲家庭（单亲母亲）")
    LAID_OFF = "laid_off", _("下岗女职工")
    LANDLESS = "landless", _("失地妇女")
    ILL_DISABLED = "ill_disabled", _("贫病残妇女")


#: Categories of children: a guardian is named, and the record is a minor's as long as she is under 14.
CHILD_CATEGORIES = frozenset({RecipientCategory.LEFT_BEHIND_CHILD, RecipientCategory.MIGRANT_CHILD})
#: Categories whose needs are health details by their nature (P-05): the record is sensitive.
SENSITIVE_RECIPIENT_CATEGORIES = frozenset({RecipientCategory.ILL_DISABLED})


def birth_date_of(person: Person | None) -> date | None:
    """Her birth date, or the one her ID number encodes (positions 7–14)."""
    if person is None:
        return None
    if person.birth_date:
        return person.birth_date
    number = (person.id_number or "").strip()
    if len(number) == 18 and number[:17].isdigit():
        try:
            return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            return None
    return None


def under_14(person: Person | None, *, today: date | None = None) -> bool:
    born = birth_date_of(person)
    if born is None:
        return False
    day = today or timezone.localdate()
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return age < 14


class CareRecipient(models.Model):
    """One person in the care registry of a federation, in one category."""

    # Set by the selectors for the reader, never stored: whether her details are shown to this
    # reader (P-05), and the name to show (masked otherwise).
    shown: bool = False
    display_name: str = ""

    organization = models.ForeignKey(Organization, verbose_name=_("登记组织"), on_delete=models.PROTECT,
                                     related_name="care_recipients")
    person = models.ForeignKey(Person, verbose_name=_("关爱对象"), on_delete=models.PROTECT,
                               related_name="care_records")
    category = models.CharField(_("类别"), max_length=20, choices=RecipientCategory.choices)
    needs = EncryptedTextField(_("需求和困难"), purpose="support.care.needs",
                               help_text=_("可能包含健康情况，只有本组织和上级负责人看得到"))
    guardian_name = EncryptedTextField(_("监护人姓名"), purpose="support.care.guardian_name")
    guardian_mobile = EncryptedTextField(_("监护人电话"), purpose="support.care.guardian_mobile")
    minor_under_14 = models.BooleanField(_("未满十四周岁"), default=False, editable=False,
                                         help_text=_("保存时按出生日期（或身份证号码）自动计算"))
    sensitive = models.BooleanField(_("敏感个人信息"), default=False,
                                    help_text=_("涉及健康、残疾等情况（个人信息保护法第二十八条）"))
    legal_basis = models.CharField(_("处理依据"), max_length=10, choices=LegalBasis.choices, blank=True)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    registered_on = models.DateField(_("登记日期"), default=timezone.localdate)
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)
    end_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("关爱对象")
        verbose_name_plural = _("关爱对象")
        ordering = ["-registered_on", "-id"]
        indexes = [
            # The list of an organisation's (subtree's) current recipients, newest first.
            models.Index(fields=["organization", "ended_on", "-registered_on", "-id"], name="care_org_current"),
            models.Index(fields=["category", "organization"], name="care_category_org"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "category"], condition=models.Q(ended_on__isnull=True),
                                    name="care_recipient_once_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {mask_name(self.person.name)}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.minor_under_14 = under_14(self.person)
        if self.category in SENSITIVE_RECIPIENT_CATEGORIES:
            self.sensitive = True  # the flag only ever turns on
        self.check_basis()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = list({*update_fields, "minor_under_14", "sensitive"})  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("support:care-recipient-detail", args=[self.pk])

    @property
    def owning_organization(self) -> Organization:
        return self.organization

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    @property
    def is_minor(self) -> bool:
        """Re-derived on every read (P-05): a child stays protected without a re-save until 14."""
        return under_14(self.person)

    @property
    def restricted(self) -> bool:
        """Details reach only the keeping organisation and the leads above it."""
        return self.sensitive or self.is_minor

    @property
    def is_child_category(self) -> bool:
        return self.category in CHILD_CATEGORIES

    @property
    def guardian_mobile_masked(self) -> str:
        return mask_mobile(self.guardian_mobile)

    @property
    def name_masked(self) -> str:
        return mask_name(self.person.name)

    def check_basis(self) -> None:
        """P-05: every record states why the federation holds it; a child under 14 on her
        guardian's consent or the statutory duty, a consent with its time."""
        errors: dict[str, str] = {}
        if self.legal_basis not in LegalBasis.values:
            errors["legal_basis"] = gettext("请选择处理个人信息的依据。")
        elif self.minor_under_14 and self.legal_basis == LegalBasis.CONSENT:
            errors["legal_basis"] = gettext("未满十四周岁的儿童，应取得监护人同意或依法定职责登记。")
        elif self.legal_basis in (LegalBasis.CONSENT, LegalBasis.GUARDIAN) and self.consent_at is None:
            errors["consent_at"] = gettext("请记录取得同意的时间。")
        if errors:
            raise ValidationError(errors)

class CarePairingManager(models.Manager["CarePairing"]):
    def get_queryset(self) -> models.QuerySet[CarePairing]:
        return super().get_queryset().filter(kind="care")


class CarePairing(Pairing):
    """A 爱心妈妈 pairing: a kernel Pairing of purpose `care` (the same row)."""

    objects: ClassVar[CarePairingManager] = CarePairingManager()

    class Meta:
        proxy = True
        verbose_name = _("爱心妈妈结对")
        verbose_name_plural = _("爱心妈妈结对")

    def get_absolute_url(self) -> str:
        return reverse("support:care-pairing-detail", args=[self.pk])


class CareVisit(PairingMeeting):
    """A visit of a 爱心妈妈 pairing: a kernel PairingMeeting (the same row)."""

    class Meta:
        proxy = True
        verbose_name = _("爱心妈妈走访记录")
        verbose_name_plural = _("爱心妈妈走访记录")
