"""Forms of 示范, 转移 and 牵手结对: they show and collect; the services decide (and re-check every
choice against the actor's reach)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import Person, User

from ..models import Demonstration, DemonstrationKind, Placement, PlacementScope, ReviewResult
from ..selectors import demonstration as selectors

REQUIRED = _("此项为必填项。")




class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DemonstrationForm(forms.ModelForm):
    """Propose a demonstration village, base or household of a village in the user's reach."""

    photo = forms.FileField(label=_("照片（可选，jpg/png）"), required=False)

    class Meta:
        model = Demonstration
        fields = ["kind", "organization", "name", "person", "trade", "description", "women_count", "photo_is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "kind": {"required": _("请选择示范类别。"), "invalid_choice": _("请选择示范类别。")},
            "organization": {"required": _("请选择本辖区内的村（社区）妇联。"),
                             "invalid_choice": _("请选择本辖区内的村（社区）妇联。")},
            "name": {"required": _("请填写名称。")},
            "person": {"invalid_choice": _("示范户请选择本辖区内的户主。")},
            "trade": {"required": _("请填写产业，如苹果种植、手工编织。")},
            "description": {"required": _("请写明基本情况（至少10个字）。")},
            "women_count": {"invalid": _("带动妇女人数应为0到100000之间的整数。")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = [("", "---------"), *DemonstrationKind.choices]
        fields["organization"].queryset = selectors.village_choices(user=user)
        fields["organization"].label = _("所在村（社区）妇联")
        fields["person"].queryset = selectors.women_choices(user=user)
        fields["person"].label = _("示范户户主（仅示范户填写，不在门户显示）")
        fields["women_count"].min_value = 0
        fields["photo_is_public"].help_text = _("勾选后，认定的示范在门户显示这张照片")
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "photo"}


class DesignateForm(forms.Form):
    decision = forms.ChoiceField(label=_("认定结果"), widget=forms.RadioSelect,
                                 choices=[("designate", _("认定为示范")), ("decline", _("不予认定"))])
    criteria = forms.CharField(label=_("认定标准"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evaluation = forms.CharField(label=_("评定意见"), widget=forms.Textarea(attrs={"rows": 3}),
                                 error_messages={"required": _("请写明评定意见。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), error_messages={"required": _("请填写复核年度。"),
                                                             "invalid": _("复核年度应在认定年度和今年之间。")})
    result = forms.ChoiceField(label=_("复核结果"), choices=ReviewResult.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择复核结果。")})
    note = forms.CharField(label=_("复核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        style_fields(self)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200, error_messages={"required": _("请写明撤销原因。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["person", "organization", "training", "employer", "work", "scope", "place", "placed_on", "note"]
        widgets = {"placed_on": DateInput(), "scope": forms.RadioSelect}
        error_messages = {
            "person": {"required": _("请选择本辖区内的妇女。"), "invalid_choice": _("请选择本辖区内的妇女。")},
            "organization": {"required": _("请选择本辖区内的妇联组织。"),
                             "invalid_choice": _("请选择本辖区内的妇联组织。")},
            "employer": {"required": _("请填写就业单位。")},
            "work": {"required": _("请填写工种。")},
            "scope": {"required": _("请选择本地就业或外出务工。"), "invalid_choice": _("请选择本地就业或外出务工。")},
            "placed_on": {"required": _("请填写上岗日期。"), "invalid": _("日期格式应为 年-月-日。")},
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"placed_on": timezone.localdate(), "scope": PlacementScope.LOCAL})
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["person"].queryset = selectors.women_choices(user=user)
        fields["organization"].queryset = selectors.federation_choices(user=user)
        fields["scope"].choices = PlacementScope.choices
        fields["training"].widget.attrs["placeholder"] = _("例如：家政服务培训")
        fields["place"].widget.attrs["placeholder"] = _("外出务工必填，如西安市雁塔区")
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PairingForm(forms.Form):
    mentor: forms.ModelChoiceField[Person] = forms.ModelChoiceField(label=_("帮带人（致富能手）"), queryset=None,
                                    error_messages={"required": _("请选择本辖区内的帮带人。"),
                                                    "invalid_choice": _("请选择本辖区内的帮带人。")})
    mentee: forms.ModelChoiceField[Person] = forms.ModelChoiceField(label=_("结对对象（创业起步的妇女）"), queryset=None,
                                    error_messages={"required": _("请选择本辖区内的结对对象。"),
                                                    "invalid_choice": _("请选择本辖区内的结对对象。")})
    started_on = forms.DateField(label=_("结对日期"), widget=DateInput(),
                                 error_messages={"invalid": _("日期格式应为 年-月-日。")})
    interval_days = forms.IntegerField(label=_("联系周期（天）"), initial=30,
                                       error_messages={"invalid": _("联系周期应在1到366天之间。")})
    note = forms.CharField(label=_("结对内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate(), "interval_days": 30})
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["mentor"].queryset = selectors.women_choices(user=user)
        fields["mentee"].queryset = selectors.women_choices(user=user)
        style_fields(self)


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput(), error_messages={
        "required": _("日期应在结对日期和今天之间。"), "invalid": _("日期格式应为 年-月-日。")})
    content = forms.CharField(label=_("帮带内容"), widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("请写明帮带内容（至少4个字）。")})
    photo = forms.FileField(label=_("照片（可选，不公开）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        style_fields(self)


class EndForm(forms.Form):
    reason = forms.CharField(label=_("结束原因"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
