"""What this app's audit events are called in the audit log (see kernel/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

SUBJECTS = {"demo": _("演示数据"), "training": _("培训")}


def _steps() -> dict[str, object]:
    from django.utils.text import format_lazy

    from gongjian.development.models.cultivation import StepKind

    return {f"development.recommendation.{step}": format_lazy("{} · {}", _("党员推荐培养"), label)
            for step, label in StepKind.choices}


# A decided cultivation step is audited as development.recommendation.<step>.
EVENTS = _steps()
