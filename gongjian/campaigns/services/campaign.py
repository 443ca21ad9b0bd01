"""Writes of campaigns and their plans: one use case each, one transaction, the actor named, an
audit row left, notifications after commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Case, Count, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, workflow
from gongjian.kernel.attachments import store_upload
from gongjian.kernel.figures import Line
from gongjian.kernel.models import Notification, Organization, User
from gongjian.kernel.notifications import notify, resolve, subject_key_of
from gongjian.kernel.permissions import ensure_can

from ..models import (
    SUBMITTED,
    Campaign,
    CampaignState,
    Phase,
    PlanAttachment,
    PlanRevision,
    PlanStatus,
    PlanSubmission,
    Theme,
)
from ..workflow import CAMPAIGN_TRANSITIONS, PLAN_TRANSITIONS

CAMPAIGN_FIELDS = ("title", "theme", "goals", "body", "lines", "target_kinds", "starts_on", "ends_on", "plan_due")
PHASE_FIELDS = ("name", "starts_on", "ends_on", "tasks")
#: Reminders go to targets without a plan this many days before plan_due (and weekly after it).
REMIND_DAYS_BEFORE = 3
MAX_ATTACHMENTS = 5
TARGET_KINDS = (Organization.Kind.TOWNSHIP_FEDERATION, Organization.Kind.VILLAGE_FEDERATION)


# --- campaigns ----------------------------------------------------------------------------------


def co_issuer_choices(issuer: Organization) -> QuerySet[Organization]:
    """Who may co-issue with `issuer` (联动机制): the party committees of the same place."""
    return Organization.objects.filter(kind__in=Organization.PARTY_KINDS, region_id=issuer.region_id,
                                       is_active=True).order_by("path")


def target_choices(issuer: Organization) -> QuerySet[Organization]:
    """Organisations that may be named as targets one by one: federations directly below the issuer."""
    return access.children(issuer).filter(kind__in=Organization.FEDERATION_KINDS, is_active=True)


def targets_of(campaign: Campaign) -> QuerySet[Organization]:
    """The organisations a campaign goes to: those of its target kinds in the issuer's subtree,
    and any named one by one (always within the subtree, never the issuer itself)."""
    issuer = campaign.organization
    by_kind = Organization.objects.filter(path__startswith=issuer.path, kind__in=campaign.target_kinds or [],
                                          is_active=True)
    named = campaign.target_organizations.filter(path__startswith=issuer.path, is_active=True)
    return (by_kind | named).exclude(pk=issuer.pk).distinct()


def _check_campaign(campaign: Campaign, *, co_issuers: Sequence[Organization],
                    targets: Sequence[Organization], phases: Sequence[dict[str, Any]]) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    issuer = campaign.organization
    if issuer.kind not in Organization.FEDERATION_KINDS:
        add("organization", _("创先争优活动由妇联组织发起。"))
    if not (campaign.title or "").strip():
        add("title", _("请填写活动名称。"))
    if campaign.theme not in Theme.values:
        add("theme", _("请选择活动主题。"))
    if any(line not in Line.values for line in campaign.lines or []):
        add("lines", _("活动载体有误。"))
    if any(kind not in TARGET_KINDS for kind in campaign.target_kinds or []):
        add("target_kinds", _("参加组织类型只能是乡镇（街道）妇联或村（社区）妇联。"))
    allowed_co = set(co_issuer_choices(issuer).values_list("pk", flat=True))
    if any(org.pk not in allowed_co for org in co_issuers):
        add("co_organizations", _("联合发文组织须为同级党委。"))
    if any(not issuer.contains(org) or org.pk == issuer.pk or org.kind not in Organization.FEDERATION_KINDS
           for org in targets):
        add("target_organizations", _("指定参加的组织须为本组织下级的妇联组织。"))
    if not isinstance(campaign.starts_on, date):
        add("starts_on", _("请填写开始日期。"))
    else:
        if campaign.ends_on and campaign.ends_on < campaign.starts_on:
            add("ends_on", _("结束日期不能早于开始日期。"))
        if campaign.plan_due and campaign.plan_due < campaign.starts_on:
            add("plan_due", _("方案报送截止日期不能早于活动开始日期。"))
    for number, phase in enumerate(phases, start=1):
        if not (phase.get("name") or "").strip():
            add("phases", _("第%(n)d个阶段：请填写阶段名称。") % {"n": number})
        if not isinstance(phase.get("starts_on"), date):
            add("phases", _("第%(n)d个阶段：请填写开始日期。") % {"n": number})
        elif phase.get("ends_on") and phase["ends_on"] < phase["starts_on"]:
            add("phases", _("第%(n)d个阶段：结束日期不能早于开始日期。") % {"n": number})
    if errors:
        raise ValidationError(errors)


def _save_phases(campaign: Campaign, phases: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Make the campaign's phases the given rows (by position): rows beyond the stored ones are
    added, stored ones beyond the rows removed (a draft only: an issued campaign keeps its phases)."""
    stored = list(campaign.phases.order_by("sort_order", "starts_on", "id"))
    if len(phases) < len(stored) and campaign.state != CampaignState.DRAFT:
        raise ValidationError({"phases": [_("已下发的活动不能删除阶段，只能修改。")]})
    for order, row in enumerate(phases, start=1):
        values = {k: row.get(k) for k in PHASE_FIELDS}
        values["name"] = (values["name"] or "").strip()
        values["tasks"] = values["tasks"] or ""
        if order <= len(stored):
            phase = stored[order - 1]
            for key, value in values.items():
                setattr(phase, key, value)
            phase.sort_order = order
            phase.save()
        else:
            Phase.objects.create(campaign=campaign, sort_order=order, **values)
    for phase in stored[len(phases):]:
        phase.delete()
    return [{"name": p["name"], "starts_on": str(p["starts_on"]), "ends_on": str(p.get("ends_on") or "")}
            for p in phases]


def _campaign_snapshot(campaign: Campaign) -> dict[str, Any]:
    out = audit.snapshot(campaign, CAMPAIGN_FIELDS)
    out["co_organizations"] = sorted(campaign.co_organizations.values_list("pk", flat=True))
    out["target_organizations"] = sorted(campaign.target_organizations.values_list("pk", flat=True))
    return out


@transaction.atomic
def campaign_create(*, actor: User, data: dict[str, Any], co_issuers: Sequence[Organization] = (),
                    targets: Sequence[Organization] = (), phases: Sequence[dict[str, Any]] = ()) -> Campaign:
    """Draft a campaign in the name of the organisation the actor acts for."""
    issuer = access.acting_organization_required(actor)
    campaign = Campaign(organization=issuer, created_by=actor,
                        **{k: v for k, v in data.items() if k in CAMPAIGN_FIELDS})
    campaign.title = (campaign.title or "").strip()
    ensure_can(actor, "campaigns.manage_campaign", campaign)
    _check_campaign(campaign, co_issuers=co_issuers, targets=targets, phases=phases)
    campaign.save()
    campaign.co_organizations.set(co_issuers)
    campaign.target_organizations.set(targets)
    saved = _save_phases(campaign, phases)
    audit.record(campaign, "campaigns.campaign.created", actor=actor,
                 changes={**audit.diff({}, _campaign_snapshot(campaign)), "phases": saved})
    return campaign


@transaction.atomic
def campaign_update(*, actor: User, campaign: Campaign, data: dict[str, Any],
                    co_issuers: Sequence[Organization] = (), targets: Sequence[Organization] = (),
                    phases: Sequence[dict[str, Any]] = ()) -> Campaign:
    """Edit a campaign. Once issued its targets are fixed (their plans exist); its text, dates and
    phases may still be corrected. A closed campaign is a record and stays as it is."""
    stored = Campaign.objects.select_for_update().get(pk=campaign.pk)
    ensure_can(actor, "campaigns.manage_campaign", stored)
    if stored.state == CampaignState.CLOSED:
        raise ValidationError(_("活动已结束，不能再修改。"))
    before = _campaign_snapshot(stored)
    issued = stored.state != CampaignState.DRAFT
    for key, value in data.items():
        if key in CAMPAIGN_FIELDS and not (issued and key == "target_kinds"):
            setattr(stored, key, value)
    stored.title = (stored.title or "").strip()
    if issued:
        targets = list(stored.target_organizations.all())
    _check_campaign(stored, co_issuers=co_issuers, targets=targets, phases=phases)
    stored.save()
    if issued and before.get("plan_due") != audit.snapshot(stored, ("plan_due",))["plan_due"]:
        _rejudge(stored)
        plans_recount(stored)
    stored.co_organizations.set(co_issuers)
    if not issued:
        stored.target_organizations.set(targets)
    saved = _save_phases(stored, phases)
    changes = audit.diff(before, _campaign_snapshot(stored))
    audit.record(stored, "campaigns.campaign.updated", actor=actor, changes={**changes, "phases": saved})
    return stored


@transaction.atomic
def campaign_issue(*, actor: User, campaign: Campaign) -> Campaign:
    """Issue a draft: one plan row per target organisation, and a notice to each of them."""
    ensure_can(actor, "campaigns.issue_campaign", campaign)
    if not campaign.target_kinds and not campaign.target_organizations.exists():
        raise ValidationError(_("请先选择参加组织（按类型或逐个指定）。"))
    if not campaign.phases.exists():
        raise ValidationError(_("请至少安排一个活动阶段。"))
    campaign.issued_at = timezone.now()
    workflow.move(campaign, to=CampaignState.ISSUED, transitions=CAMPAIGN_TRANSITIONS, labels=CampaignState,
                  extra_update_fields=("issued_at",))
    target_ids = list(targets_of(campaign).values_list("pk", flat=True))
    if not target_ids:
        raise ValidationError(_("所选范围内没有参加组织。"))
    PlanSubmission.objects.bulk_create([PlanSubmission(campaign=campaign, organization_id=pk) for pk in target_ids],
                                       batch_size=1000)
    plans_recount(campaign)
    audit.record(campaign, "campaigns.campaign.issued", actor=actor, changes={"targets": len(target_ids)})
    transaction.on_commit(lambda: _notify_issued(campaign, target_ids))
    return campaign


def _notify_issued(campaign: Campaign, target_ids: list[int]) -> None:
    due = campaign.plan_due.strftime("%Y-%m-%d") if campaign.plan_due else ""
    message = (_("%(issuer)s下发了“%(title)s”，请于%(due)s前报送活动方案。")
               % {"issuer": campaign.organization.name, "title": campaign.title, "due": due} if due else
               _("%(issuer)s下发了“%(title)s”。") % {"issuer": campaign.organization.name, "title": campaign.title})
    plans = dict(PlanSubmission.objects.filter(campaign=campaign).values_list("organization_id", "pk"))
    Notification.objects.bulk_create(
        [Notification(organization_id=org_id, code="campaigns.campaign.issued", message=message[:300],
                      link=reverse("campaigns:plan-detail", args=[campaign.pk, plans[org_id]]),
                      dedupe_key=f"campaigns.issued:{campaign.pk}",
                      subject=subject_key_of(PlanSubmission, plans[org_id])) for org_id in target_ids if org_id in plans],
        batch_size=1000, ignore_conflicts=True)


@transaction.atomic
def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    """End a campaign (系统总结 done): it stays readable, nothing more is submitted."""
    ensure_can(actor, "campaigns.issue_campaign", campaign)
    workflow.move(campaign, to=CampaignState.CLOSED, transitions=CAMPAIGN_TRANSITIONS, labels=CampaignState)
    audit.record(campaign, "campaigns.campaign.closed", actor=actor)
    return campaign


# --- plans --------------------------------------------------------------------------------------


def _lock(campaign_id: int) -> None:
    """Plan writes of one campaign take its row first (then the plan's): the kept counts stay
    exact, and the order is the same as an edit of the campaign's (no deadlock)."""
    Campaign.objects.select_for_update().filter(pk=campaign_id).values_list("pk", flat=True).first()


def plans_recount(campaign: Campaign) -> dict[str, int]:
    """Keep the campaign's plan counts per status (one grouped query, inside the write's
    transaction; every writer of plans calls it)."""
    counts = {row["status"]: row["n"] for row in
              PlanSubmission.objects.filter(campaign=campaign).order_by().values("status").annotate(n=Count("*"))}
    Campaign.objects.filter(pk=campaign.pk).update(plan_counts=counts)
    campaign.plan_counts = counts
    return counts


def _arrival(first_submitted_on: date, plan_due: date | None) -> str:
    """On time or late: judged by the day the plan first came in (a resubmission after a return
    keeps the first day), against plan_due (a campaign entered after the fact: late)."""
    return PlanStatus.LATE if plan_due is not None and first_submitted_on > plan_due else PlanStatus.ON_TIME


def _rejudge(campaign: Campaign) -> None:
    """plan_due moved: the plans waiting for review are on time or late against the new day."""
    waiting = PlanSubmission.objects.filter(campaign=campaign, status__in=SUBMITTED)
    if campaign.plan_due is None:
        waiting.update(status=PlanStatus.ON_TIME)
        return
    waiting.update(status=Case(When(first_submitted_on__gt=campaign.plan_due, then=Value(PlanStatus.LATE.value)),
                               default=Value(PlanStatus.ON_TIME.value)))


def leading_group_choices(organization: Organization) -> QuerySet[Organization]:
    """The leading groups set up directly under an organisation (各级妇联组织要相应成立领导小组)."""
    return access.children(organization).filter(kind=Organization.Kind.LEADING_GROUP, is_active=True)


@transaction.atomic
def plan_submit(*, actor: User, plan: PlanSubmission, title: str, body: str = "",
                leading_group: Organization | None = None, uploads: Iterable[UploadedFile] = (),
                at: datetime | None = None) -> PlanSubmission:
    """The target organisation sends (or, after a return, sends again) its plan. `at` is the time
    the plan came in; only the demo, entering a 2010 campaign after the fact, passes it."""
    _lock(plan.campaign_id)
    stored = PlanSubmission.objects.select_for_update().select_related("campaign", "organization").get(pk=plan.pk)
    ensure_can(actor, "campaigns.submit_plan", stored)
    if stored.campaign.state != CampaignState.ISSUED:
        raise ValidationError(_("活动未在进行中，不能报送方案。"))
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写方案标题。")
    files = list(uploads)
    if len(files) > MAX_ATTACHMENTS:
        errors["attachments"] = _("附件最多 %(n)d 个。") % {"n": MAX_ATTACHMENTS}
    if leading_group is not None and not leading_group_choices(stored.organization).filter(
            pk=leading_group.pk).exists():
        errors["leading_group"] = _("领导小组须为本组织下设的领导小组。")
    if errors:
        raise ValidationError(errors)
    now = at or timezone.now()
    previous = stored.revisions.order_by("-number").first()
    first = stored.first_submitted_on or timezone.localdate(now)
    workflow.move(stored, to=_arrival(first, stored.campaign.plan_due), transitions=PLAN_TRANSITIONS,
                  labels=PlanStatus, field="status")
    stored.title, stored.body, stored.leading_group = title, body or "", leading_group
    stored.submitted_at = now
    stored.first_submitted_on = first
    stored.revision += 1
    stored.save()
    revision = PlanRevision.objects.create(plan=stored, number=stored.revision, title=title, body=body or "",
                                           leading_group=leading_group, submitted_at=now, submitted_by=actor)
    stored_files = [store_upload(upload, actor=actor, organization=stored.organization) for upload in files]
    if not stored_files and previous is not None:
        stored_files = [a.file for a in previous.attachments.select_related("file")]
    PlanAttachment.objects.bulk_create([PlanAttachment(revision=revision, file=f) for f in stored_files])
    plans_recount(stored.campaign)
    audit.record(stored, "campaigns.plan.submitted", actor=actor, changes={
        "revision": stored.revision, "title": title, "leading_group": leading_group.pk if leading_group else None,
        "files": [f.sha256 for f in stored_files], "late": stored.is_late})
    resolve(subject=stored, codes=PLAN_TODOS)
    return stored


#: What a target organisation is asked to do about its plan: all done once it sends one.
PLAN_TODOS = ("campaigns.campaign.issued", "campaigns.plan.reminder", "campaigns.plan.returned")


def _review(actor: User, plan: PlanSubmission, *, to: str, reason: str) -> PlanSubmission:
    _lock(plan.campaign_id)
    stored = PlanSubmission.objects.select_for_update().select_related("campaign", "organization").get(pk=plan.pk)
    ensure_can(actor, "campaigns.review_plan", stored)
    if stored.campaign.state != CampaignState.ISSUED:
        raise ValidationError(_("活动未在进行中，不能审核方案。"))
    workflow.move(stored, to=to, transitions=PLAN_TRANSITIONS, labels=PlanStatus, field="status")
    now = timezone.now()
    stored.review_reason, stored.reviewed_at, stored.reviewed_by = reason, now, actor
    stored.save(update_fields=["review_reason", "reviewed_at", "reviewed_by"])
    PlanRevision.objects.filter(plan=stored, number=stored.revision).update(
        outcome=to, review_reason=reason, reviewed_at=now, reviewed_by=actor)
    plans_recount(stored.campaign)
    return stored


@transaction.atomic
def plan_return(*, actor: User, plan: PlanSubmission, reason: str) -> PlanSubmission:
    """The issuer sends a plan back for revision, saying why; the target is told."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": [_("请填写退回原因。")]})
    stored = _review(actor, plan, to=PlanStatus.RETURNED, reason=reason)
    audit.record(stored, "campaigns.plan.returned", actor=actor, changes={"revision": stored.revision,
                                                                          "reason": reason})
    message = _("“%(title)s”的活动方案被退回修改：%(reason)s") % {"title": stored.campaign.title, "reason": reason}
    transaction.on_commit(lambda: notify(
        organization=stored.organization, code="campaigns.plan.returned", message=message,
        link=stored.get_absolute_url(), dedupe_key=f"campaigns.plan.returned:{stored.pk}:{stored.revision}",
        subject=stored))
    return stored


@transaction.atomic
def plan_accept(*, actor: User, plan: PlanSubmission, comment: str = "") -> PlanSubmission:
    """The issuer accepts a plan (with an optional comment); the target is told."""
    stored = _review(actor, plan, to=PlanStatus.ACCEPTED, reason=(comment or "").strip())
    audit.record(stored, "campaigns.plan.accepted", actor=actor, changes={"revision": stored.revision})
    message = _("“%(title)s”的活动方案已通过。") % {"title": stored.campaign.title}
    transaction.on_commit(lambda: notify(
        organization=stored.organization, code="campaigns.plan.accepted", message=message,
        link=stored.get_absolute_url(), dedupe_key=f"campaigns.plan.accepted:{stored.pk}"))
    return stored


# --- reminders ----------------------------------------------------------------------------------


def plans_remind(*, today: date | None = None) -> int:
    """Remind the targets without a plan: once when plan_due is near, then once a week after it
    while the campaign runs; and those whose plan was returned, weekly until they send it again.
    Deduplicated, so the sweep may run any number of times a day."""
    day = today or timezone.localdate()
    running = Campaign.objects.filter(state=CampaignState.ISSUED, plan_due__isnull=False,
                                      plan_due__lte=day + timedelta(days=REMIND_DAYS_BEFORE)).exclude(
        ends_on__lt=day)
    sent = 0
    for campaign in running.select_related("organization"):
        assert campaign.plan_due is not None
        due = campaign.plan_due
        if day <= due:
            key = f"campaigns.plan.due:{campaign.pk}:{due.isoformat()}"
            message = _("“%(title)s”的活动方案请于%(due)s前报送。") % {"title": campaign.title,
                                                                  "due": due.strftime("%Y-%m-%d")}
        else:
            week = (day - due).days // 7
            key = f"campaigns.plan.overdue:{campaign.pk}:{due.isoformat()}:{week}"
            message = _("“%(title)s”的活动方案已逾期（截止%(due)s），请尽快报送。") % {
                "title": campaign.title, "due": due.strftime("%Y-%m-%d")}
        already = set(Notification.objects.filter(dedupe_key=key).values_list("organization_id", flat=True))
        missing = [(pk, org_id) for pk, org_id in PlanSubmission.objects.filter(
            campaign=campaign, status=PlanStatus.MISSING).values_list("pk", "organization_id") if org_id not in already]
        Notification.objects.bulk_create(
            [Notification(organization_id=org_id, code="campaigns.plan.reminder", message=message[:300],
                          link=reverse("campaigns:plan-detail", args=[campaign.pk, pk]), dedupe_key=key,
                          subject=subject_key_of(PlanSubmission, pk))
             for pk, org_id in missing], batch_size=1000, ignore_conflicts=True)
        sent += len(missing)
    return sent + _returned_remind(day)


def _returned_remind(day: date) -> int:
    """A returned plan not yet sent again: remind its organisation a week after the return, then
    weekly, while the campaign runs (the return itself was told at once)."""
    returned = (PlanSubmission.objects
                .filter(status=PlanStatus.RETURNED, reviewed_at__date__lte=day - timedelta(days=7),
                        campaign__state=CampaignState.ISSUED)
                .exclude(campaign__ends_on__lt=day)
                .values_list("pk", "campaign_id", "campaign__title", "organization_id", "revision", "reviewed_at"))
    rows = []
    for pk, campaign_id, title, org_id, revision, reviewed_at in returned:
        week = (day - timezone.localdate(reviewed_at)).days // 7
        rows.append(Notification(
            organization_id=org_id, code="campaigns.plan.reminder",
            message=(_("“%(title)s”的活动方案已退回修改，请修改后重新报送。") % {"title": title})[:300],
            link=reverse("campaigns:plan-detail", args=[campaign_id, pk]),
            dedupe_key=f"campaigns.plan.returned:{pk}:{revision}:{week}", subject=subject_key_of(PlanSubmission, pk)))
    if not rows:
        return 0
    already = set(Notification.objects.filter(dedupe_key__in=[r.dedupe_key for r in rows])
                  .values_list("dedupe_key", flat=True))
    fresh = [r for r in rows if r.dedupe_key not in already]
    Notification.objects.bulk_create(fresh, batch_size=1000, ignore_conflicts=True)
    return len(fresh)
