"""Talent pool writes: a village collects an able woman and reports her to the township, the
township forwards her to the county, the county accepts her into the pool; each review step may
return her to the village with a reason. Each use case is one transaction, names its actor, guards
the state through the transition table and leaves an audit row; the next organisation is told
through a notification after commit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, workflow
from gongjian.kernel.attachments import DOCUMENTS, store_upload
from gongjian.kernel.models import Organization, User
from gongjian.kernel.notifications import notify, resolve
from gongjian.kernel.permissions import ensure_can

from ..models import Talent, TalentFile, TalentKind, TalentState
from ..workflow import TALENT_TRANSITIONS

FIELDS = ("person", "kind", "trade", "skills", "enterprise", "income", "jobs", "deeds")
MAX_FILES = 10
MAX_JOBS = 100000
#: Live entries: the same woman is not entered twice under the same kind.
LIVE = (TalentState.DRAFT, TalentState.REPORTED, TalentState.FORWARDED, TalentState.ACCEPTED, TalentState.RETURNED)


def _move(talent: Talent, to: str) -> str:
    return workflow.move(talent, to=to, transitions=TALENT_TRANSITIONS, labels=TalentState,
                         extra_update_fields=("holder", "return_reason", "reported_at", "accepted_at"))


def parent_federation(org: Organization) -> Organization | None:
    """The federation one level up (a village's township, a township's county); None at the top."""
    step = Organization.steplen
    above = [org.path[:n] for n in range(step, len(org.path), step)]
    return (Organization.objects.filter(path__in=above, kind__in=Organization.FEDERATION_KINDS)
            .order_by("-depth").first())


def _clean(actor: User, talent: Talent) -> None:
    """Check an entry's content; every reason at once, in Chinese."""
    errors: dict[str, str] = {}
    org = talent.organization
    if org.kind not in Organization.FEDERATION_KINDS:
        errors["organization"] = _("上报单位应为妇联组织。")
    if talent.kind not in TalentKind.values:
        errors["kind"] = _("请选择人才类别。")
    person = talent.person
    ensure_can(actor, "kernel.view_person", person)
    if not org.contains(person.organization):
        errors["person"] = _("她不在本单位的辖区内。")
    elif person.gender != "F":
        errors["person"] = _("人才库只收录妇女。")
    talent.trade = (talent.trade or "").strip()[:60]
    talent.skills = (talent.skills or "").strip()[:200]
    talent.enterprise = (talent.enterprise or "").strip()[:100]
    talent.deeds = (talent.deeds or "").strip()[:5000]
    if not talent.trade:
        errors["trade"] = _("请填写从事的行业，如“苹果种植”。")
    if talent.jobs is None or not 0 <= talent.jobs <= MAX_JOBS:
        errors["jobs"] = _("带动就业人数应在 0 到 %(n)d 之间。") % {"n": MAX_JOBS}
    if talent.income is not None and not Decimal(0) <= Decimal(talent.income) < Decimal(100000000):
        errors["income"] = _("年收入应为不小于 0 的万元数。")
    if errors:
        raise ValidationError(errors)
    same = Talent.objects.filter(person=person, kind=talent.kind, state__in=LIVE)
    if talent.pk:
        same = same.exclude(pk=talent.pk)
    if same.exists():
        raise ValidationError(_("%(name)s已以“%(kind)s”录入人才库。")
                              % {"name": person.name, "kind": talent.get_kind_display()}, code="duplicate")


@transaction.atomic
def talent_create(*, actor: User, data: dict[str, Any]) -> Talent:
    """Collect an entry (a draft) in the name of the acting organisation (`organization` in data)."""
    talent = Talent(**{k: v for k, v in data.items() if k in FIELDS}, organization=data["organization"],
                    holder=data["organization"], created_by=actor)
    if talent.jobs is None:
        talent.jobs = 0
    ensure_can(actor, "development.collect_talent", talent)
    _clean(actor, talent)
    talent.save()
    audit.record(talent, "development.talent.created", actor=actor,
                 changes=audit.diff({}, audit.snapshot(talent, FIELDS)))
    return talent


@transaction.atomic
def talent_update(*, actor: User, talent: Talent, data: dict[str, Any]) -> Talent:
    """Change a draft or a returned entry (the reporting organisation's own)."""
    ensure_can(actor, "development.collect_talent", talent)
    locked = Talent.objects.select_for_update().get(pk=talent.pk)
    if not locked.editable:
        raise ValidationError(_("只有草稿或退回的人才信息才能修改。"), code="state")
    before = audit.snapshot(locked, FIELDS)
    for name in FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    _clean(actor, locked)
    locked.save()
    audit.record(locked, "development.talent.changed", actor=actor,
                 changes=audit.diff(before, audit.snapshot(locked, FIELDS)))
    return locked


@transaction.atomic
def talent_attach(*, actor: User, talent: Talent, upload: UploadedFile, caption: str = "") -> TalentFile:
    """Add evidence (营业执照, 合作社证明, a photo) while the entry is still with its reporter."""
    ensure_can(actor, "development.collect_talent", talent)
    if not talent.editable:
        raise ValidationError(_("上报后不能再添加材料。"), code="state")
    if talent.files.count() >= MAX_FILES:
        raise ValidationError(_("每位人才最多上传 %(n)d 个材料。") % {"n": MAX_FILES}, code="too_many")
    stored = store_upload(upload, actor=actor, organization=talent.organization, allowed=DOCUMENTS)
    row = TalentFile.objects.create(talent=talent, file=stored, caption=(caption or "").strip()[:100], added_by=actor)
    audit.record(talent, "development.talent.file_added", actor=actor,
                 changes={"file": stored.original_name, "size": stored.size})
    return row


#: A review step's 请审核: done once that step forwards, accepts or returns the entry.
REVIEW_TODOS = ("development.talent.reported", "development.talent.forwarded")


def _tell(organization: Organization, talent: Talent, code: str, message: str) -> None:
    link, stamp = talent.get_absolute_url(), timezone.now().strftime("%Y%m%d%H%M%S")
    transaction.on_commit(lambda: notify(organization=organization, code=code, link=link, message=message,
                                         dedupe_key=f"{code}:{talent.pk}:{stamp}", subject=talent))


def _send_up(talent: Talent, to: str) -> Organization:
    above = parent_federation(talent.holder)
    if above is None:
        raise ValidationError(_("没有上级妇联可以上报。"), code="no_parent")
    talent.holder = above
    talent.return_reason = ""
    _move(talent, to)
    return above


@transaction.atomic
def talent_report(*, actor: User, talent: Talent) -> Talent:
    """The reporting organisation sends a draft (or a revised returned entry) to the federation above."""
    ensure_can(actor, "development.collect_talent", talent)
    if talent.state not in (TalentState.DRAFT, TalentState.RETURNED):
        raise ValidationError(_("这条人才信息已经上报。"), code="state")
    talent.holder = talent.organization
    talent.reported_at = timezone.now()
    above = _send_up(talent, TalentState.REPORTED)
    audit.record(talent, "development.talent.reported", actor=actor, changes={"to": above.name})
    resolve(subject=talent, codes=("development.talent.returned",))
    _tell(above, talent, "development.talent.reported",
          _("%(org)s上报了%(kind)s%(name)s，请审核。") % {"org": talent.organization.name,
                                                        "kind": talent.get_kind_display(), "name": talent.person.name})
    return talent


@transaction.atomic
def talent_forward(*, actor: User, talent: Talent) -> Talent:
    """The township reviews a reported entry and forwards it to the county."""
    ensure_can(actor, "development.review_talent", talent)
    if talent.state != TalentState.REPORTED:
        raise ValidationError(_("只有待审核的人才信息才能转报。"), code="state")
    above = _send_up(talent, TalentState.FORWARDED)
    audit.record(talent, "development.talent.forwarded", actor=actor, changes={"to": above.name})
    resolve(subject=talent, codes=REVIEW_TODOS)
    _tell(above, talent, "development.talent.forwarded",
          _("%(org)s转报了%(kind)s%(name)s，请审核入库。") % {"org": talent.organization.name,
                                                           "kind": talent.get_kind_display(), "name": talent.person.name})
    return talent


@transaction.atomic
def talent_accept(*, actor: User, talent: Talent) -> Talent:
    """The county accepts an entry forwarded to it (or reported straight to it) into the pool."""
    ensure_can(actor, "development.review_talent", talent)
    if talent.holder.kind != Organization.Kind.COUNTY_FEDERATION:
        raise ValidationError(_("人才由县级妇联审核入库，请转报上级。"), code="not_county")
    talent.accepted_at = timezone.now()
    _move(talent, TalentState.ACCEPTED)
    audit.record(talent, "development.talent.accepted", actor=actor)
    resolve(subject=talent, codes=REVIEW_TODOS)
    _tell(talent.organization, talent, "development.talent.accepted",
          _("%(name)s已纳入%(org)s人才库。") % {"name": talent.person.name, "org": talent.holder.name})
    return talent


@transaction.atomic
def talent_return(*, actor: User, talent: Talent, reason: str) -> Talent:
    """Any review step (or the county, out of its pool) returns the entry to its reporter with a reason."""
    ensure_can(actor, "development.review_talent", talent)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("请填写退回理由。")})
    by = talent.holder
    talent.return_reason = reason[:1000]
    talent.holder = talent.organization
    talent.accepted_at = None
    _move(talent, TalentState.RETURNED)
    audit.record(talent, "development.talent.returned", actor=actor, changes={"by": by.name, "reason": reason})
    resolve(subject=talent, codes=REVIEW_TODOS)
    _tell(talent.organization, talent, "development.talent.returned",
          _("%(by)s退回了%(name)s的人才信息：%(reason)s") % {"by": by.name, "name": talent.person.name,
                                                          "reason": reason[:100]})
    return talent


def talent_export_recorded(*, actor: User, rows: int, filters: dict[str, str]) -> None:
    """Leave the audit row of an Excel export of the pool (masked personal data)."""
    audit.record(None, "development.talent.exported", actor=actor, changes={"rows": rows, "filters": filters})


# --- trainings offered above (第二篇 四) -------------------------------------------------------------

from ..models import TrainingNomination, TrainingOffer, TrainingQuota  # noqa: E402

OFFER_FIELDS = ("title", "kind", "starts_on", "ends_on", "place", "note")


def townships_below(org: Organization) -> list[Organization]:
    """The township federations a county federation gives places to."""
    return list(Organization.objects.filter(path__startswith=org.path, kind=Organization.Kind.TOWNSHIP_FEDERATION)
                .exclude(pk=org.pk).order_by("path"))


@transaction.atomic
def training_offer_create(*, actor: User, organization: Organization, data: dict[str, Any],
                          places: dict[int, int]) -> TrainingOffer:
    """The county offers a training with places per township (`places`: township id → places)."""
    offer = TrainingOffer(**{k: v for k, v in data.items() if k in OFFER_FIELDS}, organization=organization,
                          created_by=actor)
    ensure_can(actor, "development.offer_training", offer)
    errors: dict[str, str] = {}
    offer.title = (offer.title or "").strip()[:100]
    offer.place = (offer.place or "").strip()[:100]
    if not offer.title:
        errors["title"] = _("请填写培训名称。")
    if not offer.place:
        errors["place"] = _("请填写培训地点。")
    if offer.starts_on and offer.ends_on and offer.ends_on < offer.starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    townships = {t.pk: t for t in townships_below(organization)}
    given = {pk: n for pk, n in places.items() if n}
    if any(pk not in townships for pk in given) or any(n < 0 or n > 1000 for n in given.values()):
        errors["places"] = _("名额应分配给本县的乡镇（街道），每个 0 到 1000 人。")
    elif not given:
        errors["places"] = _("请至少给一个乡镇（街道）分配名额。")
    if errors:
        raise ValidationError(errors)
    offer.save()
    TrainingQuota.objects.bulk_create([TrainingQuota(offer=offer, township=townships[pk], places=n)
                                       for pk, n in sorted(given.items())])
    audit.record(offer, "development.training.offered", actor=actor,
                 changes={**audit.snapshot(offer, OFFER_FIELDS), "places": {townships[k].name: v for k, v in given.items()}})
    message = _("%(org)s举办“%(title)s”，给你单位分配了名额，请从人才库推荐。") % {
        "org": organization.name, "title": offer.title}
    towns, link = [townships[pk] for pk in given], offer.get_absolute_url()

    def tell() -> None:
        for town in towns:
            notify(organization=town, code="development.training.offered", link=link, message=message,
                   dedupe_key=f"training-offered:{offer.pk}:{town.pk}")

    transaction.on_commit(tell)
    return offer


@transaction.atomic
def training_nominate(*, actor: User, offer: TrainingOffer, talent: Talent) -> TrainingNomination:
    """A township nominates a woman of its pool to a training, within its places."""
    ensure_can(actor, "development.nominate_training", offer)
    ensure_can(actor, "development.view_talent", talent)
    township = Organization.objects.get(pk=_acting_pk(actor))
    quota = TrainingQuota.objects.select_for_update().filter(offer=offer, township=township).first()
    if quota is None or quota.places == 0:
        raise ValidationError(_("这次培训没有给你单位分配名额。"), code="no_quota")
    if talent.state != TalentState.ACCEPTED or not township.contains(talent.organization):
        raise ValidationError(_("请从本单位的人才库（已入库）中推荐。"), code="not_in_pool")
    if offer.ends_on < timezone.localdate():
        raise ValidationError(_("培训已经结束，不能再推荐。"), code="ended")
    if TrainingNomination.objects.filter(offer=offer, talent=talent).exists():
        raise ValidationError(_("%(name)s已被推荐参加这次培训。") % {"name": talent.person.name}, code="duplicate")
    if TrainingNomination.objects.filter(offer=offer, township=township).count() >= quota.places:
        raise ValidationError(_("名额已满（%(n)d 人）。") % {"n": quota.places}, code="full")
    row = TrainingNomination.objects.create(offer=offer, talent=talent, township=township, nominated_by=actor)
    audit.record(row, "development.training.nominated", actor=actor,
                 changes={"training": offer.title, "talent": talent.pk})
    return row


def _acting_pk(actor: User) -> int:
    return access.acting_organization_required(actor).pk


@transaction.atomic
def training_attendance_record(*, actor: User, nomination: TrainingNomination, attended: bool) -> TrainingNomination:
    """The offering federation records whether a nominated woman attended (it shows on her record)."""
    ensure_can(actor, "development.record_attendance", nomination)
    if nomination.offer.starts_on > timezone.localdate():
        raise ValidationError(_("培训开始后才能登记参训情况。"), code="not_started")
    before = nomination.attended
    nomination.attended = attended
    nomination.recorded_at = timezone.now()
    nomination.save(update_fields=["attended", "recorded_at"])
    audit.record(nomination, "development.training.attendance", actor=actor,
                 changes={"attended": [before, attended]})
    return nomination
