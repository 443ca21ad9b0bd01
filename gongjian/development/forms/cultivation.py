"""Forms of 党员推荐培养: they show and collect; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.models import Person

from ..models import Recommendation, StepKind
from ..workflow import CULTIVATION_TRANSITIONS


def person_label(person: Person) -> str:
    year = f" · {person.birth_date.year}" if person.birth_date else ""
    return f"{person.name}（{person.organization.name}{year}）"


class RecommendForm(forms.Form):
    """Recommend a woman: she is picked among the candidates the page found (by name)."""

    person = forms.TypedChoiceField(label=_("推荐对象"), coerce=int, empty_value=None,
                                    error_messages={"required": _("请选择推荐对象。"),
                                                    "invalid_choice": _("请选择推荐对象。")})
    party_organization = forms.ChoiceField(label=_("接收党组织"), required=False,
                                           help_text=_("不选时，推荐给她所在村（社区）的党支部。"))
    recommended_on = forms.DateField(label=_("推荐日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                                     error_messages={"required": _("请填写推荐日期。"),
                                                     "invalid": _("日期格式有误。")})
    reason = forms.CharField(label=_("推荐理由和主要事迹"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 5}),
                             error_messages={"required": _("请写明推荐理由和主要事迹。")})

    def __init__(self, *args: Any, candidates: list[Person], party_choices: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("recommended_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["person"].choices = [("", _("请选择")), *((p.pk, person_label(p)) for p in candidates)]
        fields["party_organization"].choices = [("", _("她所在村（社区）的党支部")), *party_choices]
        for field in fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")


class StepForm(forms.Form):
    """The party side's decision: the next step (only the allowed ones are offered), its date, a note."""

    step = forms.ChoiceField(label=_("培养环节"), widget=forms.RadioSelect,
                             error_messages={"required": _("请选择培养环节。"),
                                             "invalid_choice": _("该环节不能进行，培养环节不能跳过。")})
    decided_on = forms.DateField(label=_("决定日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date",
                                                                                "class": "form-control"}),
                                 error_messages={"required": _("请填写决定日期。"), "invalid": _("日期格式有误。")})
    note = forms.CharField(label=_("说明"), required=False, max_length=2000,
                           help_text=_("如支部大会、上级党委审批情况；未被吸收或终止培养须说明原因。"),
                           widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        allowed = CULTIVATION_TRANSITIONS.get(recommendation.stage, set())
        fields: dict[str, Any] = self.fields
        fields["step"].choices = [(value, label) for value, label in StepKind.choices if value in allowed]
