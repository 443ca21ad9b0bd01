"""What this app's audit events are called in the audit log (see kernel/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

SUBJECTS = {"item": _("党务公开事项")}
EVENTS = {
    "disclosure.item.approved": _("党务公开事项 · 审核备案"),
    "disclosure.item.submitted": _("党务公开事项 · 报上级审核"),
}
