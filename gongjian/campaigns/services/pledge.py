"""承诺机制 writes: 承诺 (write and publish), 践诺 (progress updates), 评诺 (the superior's rating),
and the public's comments with their moderation. One use case each, one transaction, audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit, notifications, workflow
from gongjian.kernel.attachments import IMAGES, store_upload
from gongjian.kernel.models import Organization, Person, Position, User
from gongjian.kernel.permissions import ensure_can

from ..models import (
    CampaignState,
    Pledge,
    PledgeCategory,
    PledgeComment,
    PledgeRating,
    PledgeState,
    PledgeUpdate,
)
from ..workflow import COMMENT_TRANSITIONS, PLEDGE_TRANSITIONS

PLEDGE_FIELDS = ("organization", "cadre", "campaign", "category", "title", "content", "measures", "due_on",
                 "is_public")
MIN_CONTENT = 10
MAX_TEXT = 2000
COMMENT_MIN = 5
COMMENT_MAX = 500
NICKNAME_MAX = 20
MAX_LINKS = 1


def _clean_text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _current_position(person: Person, organization: Organization) -> Position | None:
    today = timezone.localdate()
    return (Position.objects.filter(person=person, organization=organization, start_date__lte=today)
            .exclude(end_date__lt=today).order_by("sort_order", "id").first())


def _check_pledge(actor: User, pledge: Pledge) -> None:
    """Validate a pledge and re-check its organisation, cadre and campaign against scope (Z-02)."""
    ensure_can(actor, "campaigns.make_pledge", pledge)
    errors: dict[str, str] = {}
    if pledge.organization.kind not in Organization.FEDERATION_KINDS:
        errors["organization"] = _("承诺组织须为妇联组织。")
    if pledge.category not in PledgeCategory.values:
        errors["category"] = _("请选择承诺类别。")
    pledge.title = _clean_text(pledge.title, 100)
    if not pledge.title:
        errors["title"] = _("请填写承诺事项。")
    pledge.content = _clean_text(pledge.content, MAX_TEXT)
    if len(pledge.content) < MIN_CONTENT:
        errors["content"] = _("请写明承诺内容（至少10个字）。")
    pledge.measures = _clean_text(pledge.measures, MAX_TEXT)
    today = timezone.localdate()
    if not isinstance(pledge.due_on, date):
        errors["due_on"] = _("请填写承诺完成时限。")
    elif not date(2000, 1, 1) <= pledge.due_on <= today + timedelta(days=5 * 366):
        errors["due_on"] = _("承诺完成时限应在五年之内，请检查。")
    pledge.cadre_title = ""
    if pledge.cadre_id is not None and pledge.cadre is not None:
        position = _current_position(pledge.cadre, pledge.organization)
        if position is None:
            errors["cadre"] = _("所选干部没有在承诺组织任职，请选择本组织的在任干部。")
        else:
            pledge.cadre_title = position.title
    campaign = pledge.campaign if pledge.campaign_id is not None else None
    if campaign is not None and (not access.may(actor, campaign) or campaign.state != CampaignState.ISSUED):
        errors["campaign"] = _("所选活动不存在或未下发。")
    if errors:
        raise ValidationError(errors)


def _move(pledge: Pledge, to: str, *extra: str) -> str:
    return workflow.move(pledge, to=to, transitions=PLEDGE_TRANSITIONS, labels=PledgeState,
                         extra_update_fields=extra)


def _notify(organization: Organization | None, code: str, message: str, pledge: Pledge, key: str) -> None:
    if organization is None:
        return
    link = reverse("campaigns:pledge-detail", args=[pledge.pk])
    transaction.on_commit(lambda: notifications.notify(organization=organization, code=code, message=message,
                                                       link=link, dedupe_key=key, subject=pledge))


@transaction.atomic
def pledge_create(*, actor: User, data: dict[str, Any], publish: bool = False) -> Pledge:
    """Write a pledge of the acting organisation (or of one of its cadres); a draft unless `publish`."""
    organization = data.get("organization") or access.acting_organization_required(actor)
    pledge = Pledge(**{k: v for k, v in data.items() if k in PLEDGE_FIELDS and k != "organization"},
                    organization=organization, created_by=actor)
    _check_pledge(actor, pledge)
    pledge.save()
    audit.record(pledge, "campaigns.pledge.created", actor=actor,
                 changes=audit.diff({}, audit.snapshot(pledge, PLEDGE_FIELDS)))
    if publish:
        return pledge_publish(actor=actor, pledge=pledge)
    return pledge


@transaction.atomic
def pledge_update(*, actor: User, pledge: Pledge, data: dict[str, Any]) -> Pledge:
    """Change a draft; once published, a pledge's words stay as the public read them."""
    stored = Pledge.objects.select_for_update().select_related("organization").get(pk=pledge.pk)
    ensure_can(actor, "campaigns.make_pledge", stored)
    if stored.state != PledgeState.DRAFT:
        raise ValidationError(_("承诺已公开，不能再修改内容；可以填报践诺进展。"))
    before = audit.snapshot(stored, PLEDGE_FIELDS)
    for key, value in data.items():
        if key in PLEDGE_FIELDS and key != "organization":
            setattr(stored, key, value)
    _check_pledge(actor, stored)
    stored.save()
    changes = audit.diff(before, audit.snapshot(stored, PLEDGE_FIELDS))
    if changes:
        audit.record(stored, "campaigns.pledge.updated", actor=actor, changes=changes)
    return stored


@transaction.atomic
def pledge_publish(*, actor: User, pledge: Pledge) -> Pledge:
    """承诺: the pledge is made (on the portal when public); the superior organisation is told."""
    ensure_can(actor, "campaigns.make_pledge", pledge)
    _check_pledge(actor, pledge)
    pledge.published_at = timezone.now()
    _move(pledge, PledgeState.PUBLISHED, "published_at")
    audit.record(pledge, "campaigns.pledge.published", actor=actor, changes={"is_public": pledge.is_public})
    org = pledge.organization
    parent = (Organization.objects.filter(path=org.path[: -org.steplen]).first() if org.depth > 1 else None)
    _notify(parent, "campaigns.pledge.published",
            _("%(org)s作出承诺：%(title)s") % {"org": pledge.organization.name, "title": pledge.title},
            pledge, f"pledge:{pledge.pk}:published")
    return pledge


@transaction.atomic
def pledge_withdraw(*, actor: User, pledge: Pledge, reason: str = "") -> Pledge:
    """A draft that will not be made is withdrawn (kept, never deleted)."""
    ensure_can(actor, "campaigns.make_pledge", pledge)
    _move(pledge, PledgeState.WITHDRAWN)
    audit.record(pledge, "campaigns.pledge.withdrawn", actor=actor, changes={"reason": _clean_text(reason, 200)})
    return pledge


@transaction.atomic
def pledge_report_progress(*, actor: User, pledge: Pledge, day: date, text: str, percent: int | None = None,
                           photo: UploadedFile | None = None, photo_is_public: bool = False) -> PledgeUpdate:
    """践诺: the pledging organisation reports how the pledge is being kept."""
    ensure_can(actor, "campaigns.make_pledge", pledge)
    if pledge.state != PledgeState.PUBLISHED:
        raise ValidationError(_("只有已承诺、尚未评诺的承诺才能填报践诺进展。"))
    errors: dict[str, str] = {}
    text = _clean_text(text, MAX_TEXT)
    if len(text) < 5:
        errors["text"] = _("请写明进展情况（至少5个字）。")
    if not isinstance(day, date):
        errors["date"] = _("请填写日期。")
    elif day > timezone.localdate():
        errors["date"] = _("进展日期不能晚于今天。")
    elif day < date(2000, 1, 1):
        errors["date"] = _("日期有误，请检查。")
    if percent is not None and not 0 <= percent <= 100:
        errors["percent"] = _("完成进度应在 0 到 100 之间。")
    if errors:
        raise ValidationError(errors)
    stored = None
    if photo is not None:
        stored = store_upload(photo, actor=actor, organization=pledge.organization, allowed=IMAGES)
    update = PledgeUpdate.objects.create(pledge=pledge, date=day, text=text, percent=percent, photo=stored,
                                         photo_is_public=bool(photo_is_public and stored), created_by=actor)
    audit.record(pledge, "campaigns.pledge.progress", actor=actor,
                 changes={"update": update.pk, "date": day, "percent": percent,
                          "photo": stored.sha256 if stored else None})
    return update


@transaction.atomic
def pledge_evaluate(*, actor: User, pledge: Pledge, rating: str, comment: str) -> Pledge:
    """评诺: the lead of a federation above rates how the pledge was kept, with a comment; it closes."""
    ensure_can(actor, "campaigns.evaluate_pledge", pledge)
    errors: dict[str, str] = {}
    if rating not in PledgeRating.values:
        errors["rating"] = _("请选择评诺结果。")
    comment = _clean_text(comment, MAX_TEXT)
    if len(comment) < 2:
        errors["comment"] = _("请填写评诺意见。")
    if errors:
        raise ValidationError(errors)
    pledge.rating, pledge.evaluation = rating, comment
    pledge.evaluated_by = actor
    pledge.evaluated_by_organization = access.acting_organization_required(actor)
    pledge.evaluated_at = timezone.now()
    _move(pledge, PledgeState.EVALUATED, "rating", "evaluation", "evaluated_by", "evaluated_by_organization",
          "evaluated_at")
    audit.record(pledge, "campaigns.pledge.evaluated", actor=actor, changes={"rating": rating, "comment": comment})
    notifications.resolve(subject=pledge, codes=("campaigns.pledge.published",))
    _notify(pledge.organization, "campaigns.pledge.evaluated",
            _("承诺“%(title)s”已评诺：%(rating)s") % {"title": pledge.title, "rating": pledge.get_rating_display()},
            pledge, f"pledge:{pledge.pk}:evaluated")
    return pledge


# --- the public's comments -----------------------------------------------------------------------

@transaction.atomic
def comment_submit(*, pledge: Pledge, content: str, nickname: str = "") -> PledgeComment:
    """A comment of the public (no account): held until the pledging organisation shows it. The
    caller (a public view) fetched the pledge through the portal's reach and counted the rate."""
    if not pledge.on_portal:
        raise ValidationError(_("该承诺不接受留言。"))
    errors: dict[str, str] = {}
    content = str(content or "").strip()
    nickname = str(nickname or "").strip()
    if len(content) < COMMENT_MIN:
        errors["content"] = _("留言至少5个字。")
    elif len(content) > COMMENT_MAX:
        errors["content"] = _("留言最多500个字。")
    elif content.lower().count("http") + content.lower().count("www.") > MAX_LINKS:
        errors["content"] = _("留言中不能包含多个网址。")
    if len(nickname) > NICKNAME_MAX:
        errors["nickname"] = _("称呼最多20个字。")
    if errors:
        raise ValidationError(errors)
    comment = PledgeComment.objects.create(pledge=pledge, content=content, nickname=nickname)
    audit.record(comment, "campaigns.pledge.comment_received", actor=None, username="public",
                 organization=pledge.organization, changes={"pledge": pledge.pk, "length": len(content)})
    _notify(pledge.organization, "campaigns.pledge.comment",
            _("承诺“%(title)s”收到群众留言，请审核。") % {"title": pledge.title},
            pledge, f"pledge:{pledge.pk}:comment:{timezone.localdate().isoformat()}")
    return comment


@transaction.atomic
def comment_moderate(*, actor: User, comment: PledgeComment, show: bool, reason: str = "") -> PledgeComment:
    """The pledging organisation's staff show a comment on the portal, or hide it with a reason."""
    ensure_can(actor, "campaigns.moderate_pledge", comment.pledge)
    reason = _clean_text(reason, 200)
    if not show and len(reason) < 2:
        raise ValidationError({"reason": _("请填写不显示的原因。")})
    comment.hidden_reason = "" if show else reason
    comment.moderated_by = actor
    comment.moderated_at = timezone.now()
    to = PledgeComment.State.SHOWN if show else PledgeComment.State.HIDDEN
    workflow.move(comment, to=to, transitions=COMMENT_TRANSITIONS, labels=PledgeComment.State,
                  extra_update_fields=("hidden_reason", "moderated_by", "moderated_at"))
    audit.record(comment, "campaigns.pledge.comment_shown" if show else "campaigns.pledge.comment_hidden",
                 actor=actor, organization=None, changes={"pledge": comment.pledge_id, "reason": reason})
    if not PledgeComment.objects.filter(pledge_id=comment.pledge_id, state=PledgeComment.State.PENDING).exists():
        notifications.resolve(subject=comment.pledge, codes=("campaigns.pledge.comment",))
    return comment
