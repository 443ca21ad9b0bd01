"""What this app's audit events are called in the audit log (see kernel/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

SUBJECTS = {
    "demo": _("演示数据"), "plan": _("活动方案报送"), "report": _("调研报告"), "visit": _("督查指导"),
}
