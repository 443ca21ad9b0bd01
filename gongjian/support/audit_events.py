"""What this app's audit events are called in the audit log (see kernel/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

SUBJECTS = {"care": _("爱心妈妈结对"), "recipient": _("关爱对象"), "site": _("服务站点")}
EVENTS = {"support.recipient.read": _("关爱对象 · 查看了档案")}
