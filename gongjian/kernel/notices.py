"""Public notice (公示) with objections, built once for every body of work.

Any record can be put on notice for a period (calendar or working days, `kernel.deadlines`).
While the notice runs, anyone may object without an account and follow the objection with a
tracking code and query password (`kernel.tracking`). Staff answer every objection; once the
period is over the notice is closed with an outcome (passed, rejected with a reason, or
withdrawn). The app that owns the record decides what the outcome means for it (an honour is
awarded or refused) by calling its own service after `notice_close`.

Which permission governs handling a notice is declared once per record type with
`register_kind(Model, manage_permission=...)` (in the app's `AppConfig.ready`); the permission
is checked against the record itself, so scoping and roles stay the app's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, audit, deadlines, tracking
from .models import Objection, Organization, PublicNotice, User
from .notifications import notify, resolve
from .permissions import ensure_can

DEFAULT_DAYS = 7
MAX_DAYS = 60
MIN_OBJECTION_CHARS = 5
MAX_OBJECTION_CHARS = 2000
TRACKING_PREFIX = "YY"  # 异议

State = PublicNotice.State
Outcome = PublicNotice.Outcome


@dataclass(frozen=True)
class NoticeKind:
    """How one record type is put on notice: the permission that handles it, a label."""

    model_label: str
    manage_permission: str
    label: Any = gettext_lazy("公示")


_kinds: dict[str, NoticeKind] = {}


def register_kind(model: type[models.Model], *, manage_permission: str, label: Any = None) -> None:
    """Declare that records of `model` may go on notice, handled by `manage_permission`."""
    kind = NoticeKind(model._meta.label_lower, manage_permission, label or gettext_lazy("公示"))
    _kinds[kind.model_label] = kind


def kind_of(target: models.Model) -> NoticeKind:
    try:
        return _kinds[target._meta.label_lower]
    except KeyError:
        raise ImproperlyConfigured(
            f"{target._meta.label} is not registered with kernel.notices.register_kind"
        ) from None


def target_of(notice: PublicNotice) -> models.Model:
    """The record the notice is about."""
    model = notice.content_type.model_class()
    assert model is not None
    return model._default_manager.get(pk=notice.object_id)


def _ensure_manage(actor: User, notice: PublicNotice, target: models.Model | None = None) -> models.Model:
    target = target if target is not None else target_of(notice)
    ensure_can(actor, kind_of(target).manage_permission, target)
    return target


def period_for(starts_on: date, days: int, *, working: bool = False) -> date:
    """The last day of a notice of `days` days starting on `starts_on` (both days included)."""
    if working and not deadlines.is_working_day(starts_on):
        return deadlines.add_days(starts_on, days, working=True)
    return deadlines.add_days(starts_on, days - 1, working=working)


# --- writes ------------------------------------------------------------------------------------

@transaction.atomic
def notice_open(*, actor: User, target: models.Model, organization: Organization, title: str,
                body: str, days: int = DEFAULT_DAYS, working_days: bool = False,
                starts_on: date | None = None) -> PublicNotice:
    """Put `target` on public notice for `days` days from `starts_on` (today by default)."""
    ensure_can(actor, kind_of(target).manage_permission, target)
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("请填写公示标题。")
    if not body:
        errors["body"] = _("请填写公示内容。")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = _("公示天数应在 1 到 %(max)d 天之间。") % {"max": MAX_DAYS}
    today = timezone.localdate()
    start = starts_on or today
    if start < today:
        errors["starts_on"] = _("公示开始日期不能早于今天。")
    if errors:
        raise ValidationError(errors)
    notice = PublicNotice(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk),
        organization=organization, title=title[:200], body=body, days=days,
        working_days=working_days, starts_on=start,
        ends_on=period_for(start, days, working=working_days), opened_by=actor,
    )
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError as exc:
        raise ValidationError(_("该事项已在公示中。")) from exc
    audit.record(notice, "kernel.notice.opened", actor=actor, organization=organization, changes={
        "target": f"{target._meta.label_lower}:{target.pk}", "starts_on": start,
        "ends_on": notice.ends_on, "days": days, "working_days": working_days})
    return notice


@transaction.atomic
def objection_submit(*, notice: PublicNotice, content: str, contact: str = "",
                     submission_key: str = "", today: date | None = None) -> tuple[Objection, str]:
    """A member of the public objects while the notice runs; returns (objection, query password).

    The same `submission_key` (a hidden field of the form) never makes two objections."""
    locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    day = today or timezone.localdate()
    if locked.state != State.OPEN or day > locked.ends_on:
        raise ValidationError(_("公示期已结束，不再受理异议。"), code="closed")
    if day < locked.starts_on:
        raise ValidationError(_("公示尚未开始，暂不受理异议。"), code="not_started")
    content = (content or "").strip()
    if len(content) < MIN_OBJECTION_CHARS:
        raise ValidationError({"content": _("请写明异议的事实和理由（至少 %(n)d 个字）。")
                               % {"n": MIN_OBJECTION_CHARS}})
    if len(content) > MAX_OBJECTION_CHARS:
        raise ValidationError({"content": _("内容太长：不能超过 %(n)d 个字。") % {"n": MAX_OBJECTION_CHARS}})
    key = (submission_key or "").strip()[:64]
    if key and Objection.objects.filter(submission_key=key).exists():
        raise ValidationError(_("这条异议已经提交过了，请用当时显示的查询码和密码查询办理情况。"),
                              code="duplicate")
    objection = Objection(notice=locked, content=content, contact=(contact or "").strip()[:100],
                          submission_key=key)
    password = objection.issue_credentials(TRACKING_PREFIX)
    objection.save()
    audit.record(objection, "kernel.objection.submitted", actor=None, username="public",
                 organization=locked.organization,
                 changes={"notice": locked.pk, "has_contact": bool(objection.contact)})
    transaction.on_commit(lambda: notify(
        organization=locked.organization, code="kernel.objection.received",
        message=_("公示“%(title)s”收到一条异议（%(code)s），请及时答复。")
        % {"title": locked.title, "code": objection.tracking_code},
        dedupe_key=f"objection:{objection.tracking_code}", subject=objection))
    return objection, password


@transaction.atomic
def objection_answer(*, actor: User, objection: Objection, reply: str, upheld: bool) -> Objection:
    """Staff answer an objection; the answer is what the objector reads with her code."""
    locked = Objection.objects.select_for_update().select_related("notice").get(pk=objection.pk)
    _ensure_manage(actor, locked.notice)
    reply = (reply or "").strip()
    if locked.state == Objection.State.ANSWERED:
        raise ValidationError(_("这条异议已经答复过了。"), code="answered")
    if len(reply) < 2:
        raise ValidationError({"reply": _("请填写答复内容。")})
    locked.state = Objection.State.ANSWERED
    locked.reply = reply[:MAX_OBJECTION_CHARS]
    locked.upheld = bool(upheld)
    locked.replied_by = actor
    locked.replied_at = timezone.now()
    locked.save(update_fields=["state", "reply", "upheld", "replied_by", "replied_at"])
    audit.record(locked, "kernel.objection.answered", actor=actor, organization=locked.notice.organization,
                 changes={"upheld": locked.upheld})
    resolve(subject=locked, codes=("kernel.objection.received",))
    return locked


@transaction.atomic
def notice_close(*, actor: User, notice: PublicNotice, outcome: str, reason: str = "",
                 today: date | None = None) -> PublicNotice:
    """End a notice with its outcome.

    "Passed" needs the period to be over, every objection answered and none upheld; "rejected"
    and "withdrawn" need a reason and may come at any time (an objection found to be true)."""
    locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    _ensure_manage(actor, locked)
    reason = (reason or "").strip()
    if locked.state != State.OPEN:
        raise ValidationError(_("该公示已经结束。"), code="closed")
    if outcome not in (Outcome.PASSED, Outcome.REJECTED, Outcome.WITHDRAWN):
        raise ValidationError(_("请选择公示结果。"), code="outcome")
    if outcome == Outcome.PASSED:
        if not locked.period_over(today):
            raise ValidationError(
                _("公示期到 %(end)s 才结束，期满后才能确认通过。") % {"end": locked.ends_on.isoformat()},
                code="running")
        objections = locked.objections.all()
        if objections.filter(state=Objection.State.RECEIVED).exists():
            raise ValidationError(_("还有异议没有答复，请先答复全部异议。"), code="unanswered")
        if objections.filter(upheld=True).exists():
            raise ValidationError(_("有异议经核实成立，不能确认通过。"), code="upheld")
    elif len(reason) < 2:
        raise ValidationError({"reason": _("请填写理由。")})
    locked.state = State.CLOSED
    locked.outcome = outcome
    locked.outcome_reason = reason[:MAX_OBJECTION_CHARS]
    locked.closed_by = actor
    locked.closed_at = timezone.now()
    locked.save(update_fields=["state", "outcome", "outcome_reason", "closed_by", "closed_at"])
    audit.record(locked, "kernel.notice.closed", actor=actor, organization=locked.organization,
                 changes={"outcome": outcome, "reason": locked.outcome_reason[:200]})
    resolve(subject=locked, codes=("kernel.notice.ended",))
    return locked


def remind_ended(*, today: date | None = None) -> int:
    """Tell each organisation about its notices whose period is over but which are still open
    (a periodic sweep calls this); returns how many reminders were left."""
    day = today or timezone.localdate()
    sent = 0
    for notice in PublicNotice.objects.filter(state=State.OPEN, ends_on__lt=day).select_related("organization"):
        made = notify(organization=notice.organization, code="kernel.notice.ended",
                      message=_("公示“%(title)s”已于 %(end)s 期满，请确认结果。")
                      % {"title": notice.title, "end": notice.ends_on.isoformat()},
                      dedupe_key=f"notice-ended:{notice.pk}", subject=notice)
        sent += made is not None
    return sent


# --- reads -------------------------------------------------------------------------------------

def notice_for(target: models.Model) -> PublicNotice | None:
    """The latest notice about `target`, if it was ever put on notice."""
    return (PublicNotice.objects
            .filter(content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk))
            .order_by("-id").first())


def objection_of(target: models.Model, objection_id: Any) -> Objection:
    """An objection to the latest notice about `target` (which the caller fetched through the
    access policy), or Http404: an objection is reached only through the record it objects to."""
    notice = notice_for(target)
    try:
        found = notice.objections.filter(pk=objection_id).first() if notice is not None else None
    except (ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    if found is None:
        raise Http404
    return found


def notices_for(model: type[models.Model], object_ids: list[Any]) -> dict[str, PublicNotice]:
    """The latest notice per object id (as text), in one query, for lists; each carries
    `objection_count` (a board shows it without a query per row)."""
    out: dict[str, PublicNotice] = {}
    qs = (PublicNotice.objects
          .filter(content_type=ContentType.objects.get_for_model(model),
                  object_id__in=[str(i) for i in object_ids])
          .annotate(objection_count=models.Count("objections"))
          .order_by("id"))
    for notice in qs:
        out[notice.object_id] = notice
    return out


def notice_get_for_user(*, user: Any, notice_id: Any) -> PublicNotice:
    """A notice of the user's organisation or one below it (to print, seal and post); Http404
    otherwise."""
    return access.get(user, PublicNotice.objects.select_related("organization"), notice_id)


def notices_public(*, model: type[models.Model] | None = None) -> models.QuerySet[PublicNotice]:
    """Notices the public may read: every one that has started, newest first."""
    qs = PublicNotice.objects.filter(starts_on__lte=timezone.localdate()).exclude(
        outcome=Outcome.WITHDRAWN).select_related("organization")
    if model is not None:
        qs = qs.filter(content_type=ContentType.objects.get_for_model(model))
    return qs.order_by("-starts_on", "-id")


def notices_running(*, model: type[models.Model] | None = None, today: date | None = None
                    ) -> models.QuerySet[PublicNotice]:
    day = today or timezone.localdate()
    return notices_public(model=model).filter(state=State.OPEN, starts_on__lte=day, ends_on__gte=day)


def notice_get_public(*, notice_id: Any, model: type[models.Model] | None = None) -> PublicNotice:
    try:
        return notices_public(model=model).get(pk=notice_id)
    except (PublicNotice.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def objection_find(code: str, password: str) -> Objection | None:
    """The objection a member of the public follows, if code and password match."""
    return tracking.find_tracked(Objection.objects.select_related("notice"), code, password)


def objections_of(notice: PublicNotice) -> models.QuerySet[Objection]:
    return notice.objections.order_by("submitted_at", "id")
