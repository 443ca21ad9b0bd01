"""What this app's audit events are called in the audit log (see kernel/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

SUBJECTS = {
    "access": _("访问"), "account": _("账户"), "api": _("接口"), "auth": _("登录与验证"), "demo": _("演示数据"),
    "drill": _("恢复演练"), "file": _("文件"), "notice": _("公示"), "push": _("待办推送"), "reminder": _("待办提醒"),
    "retention": _("保存期限"), "admin_role_request": _("管理角色申请"),
}
EVENTS = {
    "kernel.access.denied": _("访问被拒绝"),
    "kernel.auth.login": _("登录"),
    "kernel.auth.logout": _("退出登录"),
    "kernel.reminder.read": _("待办提醒 · 已读"),
    "kernel.auth.recovery_codes_renewed": _("两步验证 · 重新生成恢复码"),
    "kernel.auth.recovery_codes_renew_failed": _("两步验证 · 重新生成恢复码失败"),
}
