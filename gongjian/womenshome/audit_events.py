"""What this app's audit events are called in the audit log (see kernel/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

SUBJECTS = {"demo": _("演示数据"), "quota": _("荣誉名额"), "site": _("妇女之家阵地")}
# One export event per table of exports.TABLES (womenshome.export.<table>).
EVENTS = {
    f"womenshome.export.{table}": label for table, label in {
        "sites": _("导出 · 妇女之家阵地表"), "coverage": _("导出 · 阵地覆盖表"), "teams": _("导出 · 文艺队伍表"),
        "team-members": _("导出 · 队员名册"), "activities": _("导出 · 活动表"), "attendance": _("导出 · 参加记录"),
        "trained": _("导出 · 年度参训人员"), "figures": _("导出 · 月度统计"), "honours": _("导出 · 荣誉推荐表"),
        "signins": _("导出 · 扫码签到记录"), "quotas": _("导出 · 荣誉名额表"),
    }.items()
}
EVENTS["womenshome.signin.confirmed_all"] = _("扫码签到 · 全部确认")
EVENTS["womenshome.rollups.rebuilt"] = _("妇女之家统计汇总 · 已重建")
