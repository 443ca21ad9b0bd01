"""党员推荐培养 writes: a federation recommends a woman to the party organisation of her village;
the party side decides each step (dated, never skipped, never back in time) or ends it, and her
political status in the kernel follows the decided step in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, notifications, workflow
from gongjian.kernel import services as kernel_services
from gongjian.kernel.models import Organization, Person, PoliticalStatus, User
from gongjian.kernel.people import PARTY_STATUSES
from gongjian.kernel.permissions import ensure_can

from ..models import CultivationStage, CultivationStep, Recommendation, StepKind
from ..models.cultivation import ENDED_STAGES, OPEN_STAGES
from ..selectors.cultivation import party_organizations_for
from ..workflow import CULTIVATION_TRANSITIONS

MIN_REASON = 10
MAX_TEXT = 2000
EARLIEST = date(2000, 1, 1)

#: The political status a decided step gives her (an ended cultivation gives back her former one).
STATUS_OF_STEP = {
    StepKind.ACTIVIST: PoliticalStatus.ACTIVIST,
    StepKind.DEVELOPMENT: PoliticalStatus.DEVELOPMENT_TARGET,
    StepKind.PROBATIONARY: PoliticalStatus.PROBATIONARY_MEMBER,
    StepKind.MEMBER: PoliticalStatus.PARTY_MEMBER,
}


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    return str(value or "").strip()[:limit]


def _check_date(value: Any, field: str, errors: dict[str, str], *, not_before: date | None = None) -> None:
    if not isinstance(value, date):
        errors[field] = _("请填写日期。")
    elif value > timezone.localdate():
        errors[field] = _("日期不能晚于今天。")
    elif value < EARLIEST:
        errors[field] = _("日期有误，请检查。")
    elif not_before is not None and value < not_before:
        errors[field] = _("日期不能早于上一环节（%(day)s）。") % {"day": not_before.isoformat()}


def _notify(organization: Organization, code: str, message: str, recommendation: Recommendation, key: str) -> None:
    link = recommendation.get_absolute_url()
    transaction.on_commit(lambda: notifications.notify(organization=organization, code=code, message=message,
                                                       link=link, dedupe_key=key, subject=recommendation))


@transaction.atomic
def recommendation_create(*, actor: User, person: Person, party_organization_id: Any = None,
                          recommended_on: date | None = None, reason: str = "") -> Recommendation:
    """The acting federation organisation recommends a woman in its reach to the party organisation
    of her village (chosen among those of her village when there are several)."""
    organization = access.acting_organization_required(actor)
    errors: dict[str, str] = {}
    # Her row locked: two cadres recommending her at once make one open recommendation, not two.
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()
    if not access.may(actor, person):
        errors["person"] = _("请选择您管辖范围内的人员。")
    elif person.gender != "F":
        errors["person"] = _("党员推荐培养对象应为女性。")
    elif person.political_status in PARTY_STATUSES:
        errors["person"] = _("她已是中共党员或预备党员，无需推荐。")
    elif Recommendation.objects.filter(person=person, stage__in=OPEN_STAGES).exists():
        errors["person"] = _("她已被推荐，正在培养中。")
    party_organization: Organization | None = None
    if "person" not in errors:
        choices = {str(o.pk): o for o in party_organizations_for(person)}
        if party_organization_id in (None, "") and len(choices) == 1:
            party_organization = next(iter(choices.values()))
        else:
            party_organization = choices.get(str(party_organization_id))
        if party_organization is None:
            errors["party_organization"] = _("请选择她所在村（社区）的党组织。")
    recommended_on = recommended_on or timezone.localdate()
    _check_date(recommended_on, "recommended_on", errors)
    reason = _text(reason)
    if len(reason) < MIN_REASON:
        errors["reason"] = _("请写明推荐理由和主要事迹（至少10个字）。")
    if errors:
        raise ValidationError(errors)
    assert party_organization is not None
    recommendation = Recommendation(person=person, organization=organization, party_organization=party_organization,
                                    recommended_on=recommended_on, reason=reason,
                                    status_before=person.political_status, stage=CultivationStage.RECOMMENDED,
                                    stage_on=recommended_on, created_by=actor)
    ensure_can(actor, "development.recommend", recommendation)
    recommendation.save()
    audit.record(recommendation, "development.recommendation.created", actor=actor,
                 changes={"person": person.pk, "organization": organization.pk,
                          "party_organization": party_organization.pk, "recommended_on": recommended_on})
    _notify(party_organization, "development.recommendation.received",
            _("%(org)s推荐%(name)s为党员培养对象，请考察。") % {"org": organization.name, "name": person.name},
            recommendation, f"recommendation:{recommendation.pk}:received")
    return recommendation


@transaction.atomic
def cultivation_decide(*, actor: User, recommendation: Recommendation, step: str, decided_on: date | None,
                       note: str = "") -> CultivationStep:
    """The party side decides the next step (or ends the cultivation with a reason); her political
    status (and, from 预备党员 on, her party organisation) follows through the kernel's service."""
    ensure_can(actor, "development.decide_cultivation", recommendation)
    errors: dict[str, str] = {}
    if step not in StepKind.values:
        errors["step"] = _("请选择培养环节。")
    elif step not in CULTIVATION_TRANSITIONS.get(recommendation.stage, set()):
        errors["step"] = _("当前阶段“%(stage)s”不能进行“%(step)s”，培养环节不能跳过。") % {
            "stage": recommendation.get_stage_display(), "step": StepKind(step).label}
    _check_date(decided_on, "decided_on", errors, not_before=recommendation.stage_on)
    note = _text(note)
    if step in ENDED_STAGES and len(note) < 2:
        errors["note"] = _("请说明原因。")
    if errors:
        raise ValidationError(errors)
    assert decided_on is not None
    decided_by_organization = access.acting_organization_required(actor)
    recommendation.stage_on = decided_on
    workflow.move(recommendation, to=step, field="stage", transitions=CULTIVATION_TRANSITIONS,
                  labels=CultivationStage, extra_update_fields=("stage_on",))
    decided = CultivationStep.objects.create(recommendation=recommendation, step=step, decided_on=decided_on,
                                             note=note, decided_by=actor,
                                             decided_by_organization=decided_by_organization)
    person = recommendation.person
    data: dict[str, Any]
    if step in STATUS_OF_STEP:
        data = {"political_status": STATUS_OF_STEP[StepKind(step)]}
        if step == StepKind.PROBATIONARY:  # 党组织关系 from admission on (kernel: members only)
            data["party_organization"] = recommendation.party_organization_id
    else:
        data = {"political_status": recommendation.status_before, "party_organization": None}
    kernel_services.person_update(actor=actor, person=person, data=data,
                                  authority=("development.decide_cultivation", recommendation))
    # The party side has taken the recommendation up: 请考察 is done.
    notifications.resolve(subject=recommendation, codes=("development.recommendation.received",))
    audit.record(recommendation, f"development.recommendation.{step}", actor=actor,
                 changes={"step": step, "decided_on": decided_on, "note": note,
                          "political_status": data["political_status"]})
    _notify(recommendation.organization, "development.recommendation.step",
            _("%(name)s：%(step)s（%(day)s）") % {"name": person.name, "step": decided.get_step_display(),
                                                "day": decided_on.isoformat()},
            recommendation, f"recommendation:{recommendation.pk}:{step}")
    return decided
