"""党务公开's figures, offered to the other bodies of work through `kernel.figures` (ADR 0028;
registered in `apps.py`): a 情况汇报 and the county report quote them without importing this app.

Every figure counts an asked organisation's whole subtree, for the period asked, with the
definitions the disclosure pages use:

- `published` (公开事项): items with a version published in the period (a correction of an item
  already published in the period is the same item);
- `regular_due` (应定期公开) and `published_on_time` (按时公开): regular items' due dates in the
  period, and those published by their due date — the 公开日程 roll-up's "按时" (`DueStatus.ON_TIME`);
- `suggestions` (收到意见建议) and `suggestions_answered_in_time` (按时答复): suggestions received in
  the period, and those of them answered by their deadline (the local day of the answer ≤ `due_on`).

At most four queries however many organisations are asked: one grouped count per record type,
narrowed to the asked subtrees (`figures.within_asked`), and one of paths (`figures.rollup_many`).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import figures

from .models import DisclosureVersion, DueItem, Suggestion

CODES = {
    "published": _("公开事项"),
    "regular_due": _("应定期公开"),
    "published_on_time": _("按时公开"),
    "suggestions": _("收到意见建议"),
    "suggestions_answered_in_time": _("按时答复意见建议"),
}


def _bounds(ask: figures.Ask) -> tuple[datetime, datetime]:
    return (timezone.make_aware(datetime.combine(ask.start, time.min)),
            timezone.make_aware(datetime.combine(ask.end + timedelta(days=1), time.min)))


def provide(ask: figures.Ask) -> figures.Answer:
    organizations = list(ask.organizations)
    if not organizations:
        return {}
    since, until = _bounds(ask)
    counts: dict[int, dict[str, figures.Number]] = {}

    def add(org_id: int, code: str, value: int) -> None:
        counts.setdefault(org_id, {})[code] = value

    if ask.wants("published"):
        versions = figures.within_asked(
            DisclosureVersion.objects.filter(published_at__gte=since, published_at__lt=until), ask)
        for row in versions.values("organization_id").order_by().annotate(n=Count("disclosure_id", distinct=True)):
            add(row["organization_id"], "published", row["n"])
    if ask.wants("regular_due") or ask.wants("published_on_time"):
        due = figures.within_asked(DueItem.objects.filter(due_on__gte=ask.start, due_on__lte=ask.end), ask)
        for row in due.values("organization_id").order_by().annotate(
                n=Count("pk"), on_time=Count("pk", filter=Q(done_on__isnull=False, done_on__lte=F("due_on")))):
            add(row["organization_id"], "regular_due", row["n"])
            add(row["organization_id"], "published_on_time", row["on_time"])
    if ask.wants("suggestions") or ask.wants("suggestions_answered_in_time"):
        received = figures.within_asked(Suggestion.objects.filter(created_at__gte=since, created_at__lt=until), ask)
        for row in received.values("organization_id").order_by().annotate(
                n=Count("pk"), in_time=Count("pk", filter=Q(answered_at__isnull=False,
                                                            answered_at__date__lte=F("due_on")))):
            add(row["organization_id"], "suggestions", row["n"])
            add(row["organization_id"], "suggestions_answered_in_time", row["in_time"])
    answer = figures.rollup_many(counts, organizations)
    for row in answer.values():  # a code nobody recorded still reads 0
        for code in CODES:
            if ask.wants(code):
                row.setdefault(code, 0)
    return answer
