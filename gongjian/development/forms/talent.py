"""Forms of the talent pool pages: they show and collect; the woman picked is re-read through the
scoped selector here and checked again in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import User
from gongjian.kernel.selectors import person_get_for_user

from ..models import Talent, TalentKind


class PersonField(forms.IntegerField):
    """A woman picked from the search results, re-read through the scoped selector."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.user: User | None = None
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("error_messages", {"required": _("请先搜索并选择她本人。")})
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        pk = super().clean(value)
        out_of_reach = ValidationError(_("请选择您管辖范围内的人员。"))
        if self.user is None:
            raise out_of_reach
        try:
            return person_get_for_user(user=self.user, person_id=pk)
        except Http404 as exc:
            raise out_of_reach from exc


class TalentForm(forms.ModelForm):
    """Collect or change an entry; the reporting organisation is the one she acts for."""

    person = PersonField(label=_("姓名"))

    class Meta:
        model = Talent
        fields = ["person", "kind", "trade", "skills", "enterprise", "income", "jobs", "deeds"]
        widgets = {"deeds": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"kind": {"required": _("请选择人才类别。")},
                          "trade": {"required": _("请填写从事的行业，如“苹果种植”。")},
                          "jobs": {"required": _("请填写带动就业人数（没有填 0）。"),
                                   "invalid": _("带动就业人数应为整数。")},
                          "income": {"invalid": _("年收入应为数字（万元）。")}}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["person"].user = user
        fields["kind"].choices = [("", "---------"), *TalentKind.choices]
        fields["jobs"].widget.attrs["inputmode"] = "numeric"
        fields["income"].widget.attrs["inputmode"] = "decimal"
        if self.instance.pk:
            self.initial.setdefault("person", self.instance.person_id)
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AttachForm(forms.Form):
    file = forms.FileField(label=_("证明材料（PDF、Word、Excel 或照片）"), error_messages={"required": _("请选择文件。")})
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写退回理由。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


# --- trainings offered above -------------------------------------------------------------------------

from ..models import TrainingOffer  # noqa: E402


class OfferForm(forms.ModelForm):
    """A training and its places per township (one number field per township below)."""

    class Meta:
        model = TrainingOffer
        fields = ["title", "kind", "starts_on", "ends_on", "place", "note"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"title": {"required": _("请填写培训名称。")},
                          "starts_on": {"required": _("请填写开始日期。"), "invalid": _("日期格式应为 2026-03-08。")},
                          "ends_on": {"required": _("请填写结束日期。"), "invalid": _("日期格式应为 2026-03-08。")},
                          "place": {"required": _("请填写培训地点。")}}

    def __init__(self, *args: Any, townships: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["kind"].choices = [("", _("不限类别")), *TalentKind.choices]
        self.townships = townships
        for town in townships:
            field = forms.IntegerField(label=town.name, min_value=0, max_value=1000, required=False, initial=0,
                                       error_messages={"invalid": _("名额应为整数。"),
                                                       "min_value": _("名额不能为负数。"),
                                                       "max_value": _("名额不能超过 1000。")})
            field.widget.attrs["inputmode"] = "numeric"
            self.fields[f"places_{town.pk}"] = field
        style_fields(self)

    def place_fields(self) -> list[Any]:
        return [self[f"places_{town.pk}"] for town in self.townships]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.Meta.fields]

    def to_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith("places_")}

    def places(self) -> dict[int, int]:
        return {town.pk: self.cleaned_data.get(f"places_{town.pk}") or 0 for town in self.townships}


class NominateForm(forms.Form):
    talent = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": _("请选择推荐的人才。")})


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(label=_("参训情况"), widget=forms.RadioSelect, coerce=lambda v: v == "1",
                                      choices=[("1", _("已参训")), ("0", _("未参训"))],
                                      error_messages={"required": _("请选择是否参训。")})
