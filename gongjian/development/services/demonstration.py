"""Writes of 示范 and 转移: propose a demonstration (village, base or household), the county's
designation with criteria and evaluation (or decline), the yearly review (a second 不合格 revokes),
revocation by decision, and recording a placement. One use case each, one transaction, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, workflow
from gongjian.kernel.attachments import IMAGES, store_upload
from gongjian.kernel.models import Organization, Person, User
from gongjian.kernel.permissions import ensure_can

from ..models import (
    Demonstration,
    DemonstrationKind,
    DemonstrationReview,
    DemonstrationState,
    Placement,
    PlacementScope,
    ReviewResult,
)
from ..workflow import DEMONSTRATION_TRANSITIONS

DEMONSTRATION_FIELDS = ("organization", "kind", "name", "person", "trade", "description", "women_count",
                        "photo_is_public")
PLACEMENT_FIELDS = ("organization", "person", "training", "employer", "work", "scope", "place", "placed_on", "note")
MAX_TEXT = 2000
MAX_WOMEN = 100_000
#: A designation is revoked by its second 不合格 yearly review.
FAILS_TO_REVOKE = 2


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _move(demonstration: Demonstration, to: str, *extra: str) -> str:
    return workflow.move(demonstration, to=to, transitions=DEMONSTRATION_TRANSITIONS, labels=DemonstrationState,
                         extra_update_fields=extra)


def _check_demonstration(actor: User, found: Demonstration) -> None:
    """Validate a proposal; its village and household head must lie in the actor's reach (Z-02)."""
    errors: dict[str, str] = {}
    org = found.organization
    if org.kind != Organization.Kind.VILLAGE_FEDERATION or not access.may(actor, org):
        errors["organization"] = _("请选择本辖区内的村（社区）妇联。")
    if found.kind not in DemonstrationKind.values:
        errors["kind"] = _("请选择示范类别。")
    found.name = _text(found.name, 100)
    if not found.name:
        errors["name"] = _("请填写名称。")
    found.trade = _text(found.trade, 50)
    if not found.trade:
        errors["trade"] = _("请填写产业，如苹果种植、手工编织。")
    found.description = _text(found.description, MAX_TEXT)
    if len(found.description) < 10:
        errors["description"] = _("请写明基本情况（至少10个字）。")
    if not isinstance(found.women_count, int) or not 0 <= found.women_count <= MAX_WOMEN:
        errors["women_count"] = _("带动妇女人数应为0到100000之间的整数。")
    if found.kind == DemonstrationKind.HOUSEHOLD:
        if found.person_id is None or not isinstance(found.person, Person) or not access.may(actor, found.person):
            errors["person"] = _("示范户请选择本辖区内的户主。")
    else:
        found.person = None
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def demonstration_propose(*, actor: User, data: dict[str, Any], photo: UploadedFile | None = None) -> Demonstration:
    """A township or village federation proposes a demonstration of one of its villages."""
    organization = data.get("organization")
    if not isinstance(organization, Organization):
        raise ValidationError({"organization": _("请选择本辖区内的村（社区）妇联。")})
    found = Demonstration(**{k: v for k, v in data.items() if k in DEMONSTRATION_FIELDS},
                          proposed_by_organization=access.acting_organization_required(actor),
                          proposed_on=timezone.localdate(), created_by=actor)
    ensure_can(actor, "development.propose_demonstration", found)
    _check_demonstration(actor, found)
    if photo is not None:
        found.photo = store_upload(photo, actor=actor, organization=organization, allowed=IMAGES)
    found.save()
    audit.record(found, "development.demonstration.proposed", actor=actor,
                 changes=audit.diff({}, audit.snapshot(found, DEMONSTRATION_FIELDS)))
    return found


@transaction.atomic
def demonstration_designate(*, actor: User, demonstration: Demonstration, criteria: str, evaluation: str,
                            designated_on: date | None = None) -> Demonstration:
    """The county federation designates a proposed demonstration, with its criteria and evaluation."""
    ensure_can(actor, "development.designate_demonstration", demonstration)
    errors: dict[str, str] = {}
    criteria, evaluation = _text(criteria, MAX_TEXT), _text(evaluation, MAX_TEXT)
    if len(criteria) < 4:
        errors["criteria"] = _("请写明认定标准。")
    if len(evaluation) < 4:
        errors["evaluation"] = _("请写明评定意见。")
    day = designated_on or timezone.localdate()
    if not demonstration.proposed_on <= day <= timezone.localdate():
        errors["designated_on"] = _("认定日期应在推荐日期和今天之间。")
    if errors:
        raise ValidationError(errors)
    demonstration.criteria, demonstration.evaluation, demonstration.designated_on = criteria, evaluation, day
    demonstration.designated_by_organization = access.acting_organization_required(actor)
    _move(demonstration, DemonstrationState.DESIGNATED, "criteria", "evaluation", "designated_on",
          "designated_by_organization")
    audit.record(demonstration, "development.demonstration.designated", actor=actor,
                 changes={"criteria": criteria, "evaluation": evaluation, "designated_on": day.isoformat()})
    return demonstration


@transaction.atomic
def demonstration_decline(*, actor: User, demonstration: Demonstration, evaluation: str) -> Demonstration:
    """The county federation does not designate a proposal (with its reason)."""
    ensure_can(actor, "development.designate_demonstration", demonstration)
    evaluation = _text(evaluation, MAX_TEXT)
    if len(evaluation) < 4:
        raise ValidationError({"evaluation": _("请写明不予认定的理由。")})
    demonstration.evaluation = evaluation
    demonstration.designated_by_organization = access.acting_organization_required(actor)
    _move(demonstration, DemonstrationState.DECLINED, "evaluation", "designated_by_organization")
    audit.record(demonstration, "development.demonstration.declined", actor=actor, changes={"evaluation": evaluation})
    return demonstration


def _revoke(actor: User, demonstration: Demonstration, reason: str) -> None:
    demonstration.revoked_on = timezone.localdate()
    demonstration.revoke_reason = reason
    _move(demonstration, DemonstrationState.REVOKED, "revoked_on", "revoke_reason")
    audit.record(demonstration, "development.demonstration.revoked", actor=actor, changes={"reason": reason})


@transaction.atomic
def demonstration_revoke(*, actor: User, demonstration: Demonstration, reason: str) -> Demonstration:
    """The county federation revokes a designation by decision."""
    ensure_can(actor, "development.designate_demonstration", demonstration)
    reason = _text(reason, 200)
    if len(reason) < 4:
        raise ValidationError({"reason": _("请写明撤销原因。")})
    _revoke(actor, demonstration, reason)
    return demonstration


@transaction.atomic
def demonstration_review(*, actor: User, demonstration: Demonstration, year: int, result: str,
                         note: str = "") -> DemonstrationReview:
    """The county's yearly review; the second 不合格 revokes the designation."""
    ensure_can(actor, "development.designate_demonstration", demonstration)
    errors: dict[str, str] = {}
    if demonstration.state != DemonstrationState.DESIGNATED or demonstration.designated_on is None:
        raise ValidationError(_("只有已认定的示范才能年度复核。"))
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not demonstration.designated_on.year <= year <= this_year:
        errors["year"] = _("复核年度应在认定年度和今年之间。")
    elif demonstration.reviews.filter(year=year).exists():
        errors["year"] = _("该年度已经复核过。")
    if result not in ReviewResult.values:
        errors["result"] = _("请选择复核结果。")
    if errors:
        raise ValidationError(errors)
    review = DemonstrationReview.objects.create(
        demonstration=demonstration, year=year, result=result, note=_text(note, MAX_TEXT),
        reviewed_by_organization=access.acting_organization_required(actor), created_by=actor)
    audit.record(review, "development.demonstration.reviewed", actor=actor,
                 changes={"demonstration": demonstration.pk, "year": year, "result": result},
                 organization=demonstration.organization)
    if result == ReviewResult.FAILED and demonstration.reviews.filter(
            result=ReviewResult.FAILED).count() >= FAILS_TO_REVOKE:
        _revoke(actor, demonstration, _("两次年度复核不合格"))
    return review


@transaction.atomic
def placement_record(*, actor: User, data: dict[str, Any]) -> Placement:
    """Record a woman placed in work (富余劳动力转移), kept by the acting organisation or one below."""
    organization = data.get("organization") or access.acting_organization_required(actor)
    found = Placement(**{k: v for k, v in data.items() if k in PLACEMENT_FIELDS and k != "organization"},
                      organization=organization, created_by=actor)
    ensure_can(actor, "development.record_placement", found)
    errors: dict[str, str] = {}
    if found.organization.kind not in Organization.FEDERATION_KINDS:
        errors["organization"] = _("请选择本辖区内的妇联组织。")
    if found.person_id is None or not isinstance(found.person, Person) or not access.may(actor, found.person):
        errors["person"] = _("请选择本辖区内的妇女。")
    for key, limit, message in (("employer", 100, _("请填写就业单位。")), ("work", 50, _("请填写工种。"))):
        setattr(found, key, _text(getattr(found, key), limit))
        if not getattr(found, key):
            errors[key] = message
    found.training, found.place, found.note = (_text(found.training, 100), _text(found.place, 100),
                                               _text(found.note, 200))
    if found.scope not in PlacementScope.values:
        errors["scope"] = _("请选择本地就业或外出务工。")
    elif found.scope == PlacementScope.AWAY and not found.place:
        errors["place"] = _("外出务工请填写就业地点。")
    if not isinstance(found.placed_on, date) or not date(2000, 1, 1) <= found.placed_on <= timezone.localdate():
        errors["placed_on"] = _("上岗日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    found.save()
    audit.record(found, "development.placement.recorded", actor=actor,
                 changes=audit.diff({}, audit.snapshot(found, PLACEMENT_FIELDS)))
    return found
