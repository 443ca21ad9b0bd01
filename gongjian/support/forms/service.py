"""Forms of service sites and health rounds: they show and collect; the services decide (and re-check
every choice against the actor's reach)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import User

from ..models import WEEKDAYS, HealthKind, HealthPartnerKind, HealthRound, ServiceSite, SiteKind
from ..selectors import service as selectors

COUNT_INVALID = _("人数应为0或正整数。")
DATE_INVALID = _("日期格式应为 年-月-日。")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CountInput(forms.NumberInput):
    """A count typed on a phone: the numeric keypad."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(attrs={"inputmode": "numeric", "min": "0"}, **kwargs)


class SiteForm(forms.ModelForm):
    """A service site or line of a federation in the user's reach."""

    open_days = forms.MultipleChoiceField(label=_("开放日（可选）"), required=False, choices=WEEKDAYS,
                                          widget=forms.CheckboxSelectMultiple,
                                          error_messages={"invalid_choice": _("开放日只能选周一到周日。")})

    class Meta:
        model = ServiceSite
        fields = ["kind", "organization", "name", "address", "hours", "open_days", "phone", "partner", "contact",
                  "contact_is_public", "description", "is_public", "opened_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "opened_on": DateInput()}
        error_messages = {
            "kind": {"required": _("请选择站点类别。"), "invalid_choice": _("请选择站点类别。")},
            "organization": {"required": _("请选择本辖区内的妇联组织。"),
                             "invalid_choice": _("请选择本辖区内的妇联组织。")},
            "name": {"required": _("请填写名称。")},
            "hours": {"required": _("请填写开放时间，如：周一至周五 8:30-17:30。")},
            "contact": {"invalid_choice": _("联系人应是本组织（或下级组织）的人员。")},
            "opened_on": {"required": _("请填写启用日期。"), "invalid": DATE_INVALID},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is None:
            initial = {"opened_on": timezone.localdate(), "is_public": True}
            acting = getattr(user, "acting", None)
            if acting is not None:
                initial["organization"] = acting.organization.pk
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault("initial", {"open_days": list(instance.open_days)})
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = [("", "---------"), *SiteKind.choices]
        fields["organization"].queryset = selectors.federation_choices(user=user)
        fields["contact"].queryset = selectors.contact_choices(user=user)
        fields["contact"].label = _("联系人（本组织干部，手机号不公开）")
        fields["phone"].widget.attrs.update({"inputmode": "tel", "placeholder": _("如 0913-1234567 或 12338")})
        fields["hours"].widget.attrs["placeholder"] = _("周一至周五 8:30-17:30")
        fields["address"].label = _("地址（热线可不填）")
        style_fields(self)

    def clean_open_days(self) -> str:
        """The chosen days as the model stores them ("67" = 周六、周日)."""
        return "".join(sorted(self.cleaned_data.get("open_days") or []))

    def to_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CloseSiteForm(forms.Form):
    reason = forms.CharField(label=_("停用原因"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class HealthRoundForm(forms.ModelForm):
    """A health service round: held (with the number of women served) or announced ahead."""

    class Meta:
        model = HealthRound
        fields = ["kind", "organization", "starts_on", "ends_on", "place", "partner", "partner_kind", "served",
                  "cervical_screened", "breast_screened", "audience", "is_public", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "kind": forms.RadioSelect,
                   "note": forms.Textarea(attrs={"rows": 2}), "served": CountInput(),
                   "cervical_screened": CountInput(), "breast_screened": CountInput()}
        error_messages = {
            "kind": {"required": _("请选择服务类别。"), "invalid_choice": _("请选择服务类别。")},
            "organization": {"required": _("请选择本辖区内的妇联组织。"),
                             "invalid_choice": _("请选择本辖区内的妇联组织。")},
            "starts_on": {"required": _("请填写开始日期。"), "invalid": DATE_INVALID},
            "ends_on": {"invalid": DATE_INVALID},
            "place": {"required": _("请填写服务地点。")},
            "partner": {"required": _("请填写合作单位，如华阴市卫健局。")},
            "partner_kind": {"required": _("请选择合作单位类别。"), "invalid_choice": _("请选择合作单位类别。")},
            "served": {"invalid": COUNT_INVALID, "min_value": COUNT_INVALID},
            "cervical_screened": {"invalid": COUNT_INVALID, "min_value": COUNT_INVALID},
            "breast_screened": {"invalid": COUNT_INVALID, "min_value": COUNT_INVALID},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        if kwargs.get("instance") is None:
            initial: dict[str, Any] = {"starts_on": timezone.localdate(), "partner_kind": HealthPartnerKind.HEALTH_BUREAU}
            acting = getattr(user, "acting", None)
            if acting is not None:
                initial["organization"] = acting.organization.pk
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = HealthKind.choices
        fields["partner_kind"].choices = HealthPartnerKind.choices
        fields["organization"].queryset = selectors.federation_choices(user=user)
        fields["served"].required = False
        fields["served"].help_text = _("开展后填写；日期在今天之后的作为预告，先不填人数")
        fields["cervical_screened"].label = _("其中宫颈癌筛查人数（两癌检查填写）")
        fields["breast_screened"].label = _("其中乳腺癌筛查人数（两癌检查填写）")
        fields["partner"].widget.attrs["placeholder"] = _("如：华阴市卫健局")
        fields["place"].widget.attrs["placeholder"] = _("如：太华路街道社区卫生服务中心")
        fields["is_public"].help_text = _("勾选后，尚未开展的服务在门户预告（时间、地点、服务对象）")
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("served") is None:
            data["served"] = 0
        return data
