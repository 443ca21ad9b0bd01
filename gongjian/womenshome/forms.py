"""Forms of the womenshome pages. Every choice of organisation, site, team or person is limited
to the user's scope here and checked again in the services (Z-02)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import access
from gongjian.kernel.figures import Line
from gongjian.kernel.forms import PhotosField, style_fields
from gongjian.kernel.models import Organization, User
from gongjian.kernel.selectors import person_get_for_user, visible_organizations

from .models import (
    Activity,
    ActivityKind,
    AttendanceMode,
    Honour,
    HonourKind,
    Partner,
    SiteStatus,
    Team,
    TeamKind,
    TeamMember,
    WomensHome,
)
from .selectors import federation_choices, units_without_site


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class SiteForm(forms.ModelForm):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("村（社区）"),
                                          required=False)

    class Meta:
        model = WomensHome
        fields = ["organization", "name", "status", "established_on", "address", "rooms", "area_m2",
                  "facilities", "opening_hours", "note"]
        widgets = {"established_on": DateInput(), "facilities": forms.Textarea(attrs={"rows": 3}),
                   "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        if self.instance.pk:
            del fields["organization"]
        else:
            fields["organization"].queryset = units_without_site(user=user)
            fields["organization"].required = True
            fields["organization"].error_messages["invalid_choice"] = _("请选择辖区内还没有妇女之家的村或社区。")
            fields["name"].required = False
            fields["name"].help_text = _("可不填，默认为“村名+妇女之家”。")
        fields["status"].choices = SiteStatus.choices
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "organization"}


class PhotoForm(forms.Form):
    file = PhotosField(label=_("照片（JPG 或 PNG，可一次选多张）"), error_messages={"required": _("请选择照片。")})
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)
    is_public = forms.BooleanField(label=_("可在门户公开（请确认照片中的人员同意公开）"), required=False)

    def __init__(self, *args: Any, public_choice: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not public_choice:
            del self.fields["is_public"]
        style_fields(self)


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["organization", "name", "kind", "founded_on", "description", "is_active"]
        widgets = {"founded_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["organization"].queryset = federation_choices(user=user)
        fields["organization"].error_messages["invalid_choice"] = _("请选择您管辖范围内的妇联组织。")
        fields["kind"].choices = TeamKind.choices
        acting = user.acting
        if not self.instance.pk and acting is not None:
            self.initial.setdefault("organization", acting.organization.pk)
        style_fields(self)


class PersonIdField(forms.IntegerField):
    """A person picked from the roster search, re-read through the scoped selector."""

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("error_messages", {"required": _("请先在名册中选择人员。")})
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        pk = super().clean(value)
        if pk is None:
            return None
        out_of_reach = ValidationError(_("请选择您管辖范围内的人员。"))
        if self.user is None:  # a form bound without its user reaches nobody
            raise out_of_reach
        try:
            return person_get_for_user(user=self.user, person_id=pk)
        except Http404 as exc:
            raise out_of_reach from exc


class TeamMemberForm(forms.Form):
    person = PersonIdField(label=_("人员"))
    role = forms.ChoiceField(label=_("职责"), choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER)
    joined_on = forms.DateField(label=_("加入日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PersonIdField, self.fields["person"]).user = user
        style_fields(self)


class ActivityForm(forms.ModelForm):
    partners = forms.MultipleChoiceField(label=_("协办单位"), choices=Partner.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    attendance_mode = forms.ChoiceField(label=_("参加人员登记方式"), choices=AttendanceMode.choices,
                                        widget=forms.RadioSelect, initial=AttendanceMode.BY_PERSON)

    class Meta:
        model = Activity
        fields = ["organization", "kind", "line", "title", "date", "site", "place", "team", "partners",
                  "partner_note", "hours", "summary", "is_public_performance", "is_public",
                  "attendance_mode", "head_count"]
        widgets = {"date": DateInput(), "summary": forms.Textarea(attrs={"rows": 4}), "line": forms.RadioSelect,
                   "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "100"})}
        error_messages = {"title": {"required": _("请填写活动名称。")}, "date": {"required": _("请填写活动日期。")},
                          "kind": {"required": _("请选择活动类型。")}}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["organization"].queryset = federation_choices(user=user)
        fields["organization"].error_messages["invalid_choice"] = _("请选择您管辖范围内的妇联组织。")
        fields["site"].queryset = access.visible(user, WomensHome.objects.select_related("organization"))
        fields["site"].error_messages["invalid_choice"] = _("请选择您管辖范围内的妇女之家。")
        fields["team"].queryset = access.visible(user, Team.objects.filter(is_active=True))
        fields["team"].error_messages["invalid_choice"] = _("请选择您管辖范围内的队伍。")
        fields["kind"].choices = [("", "---------"), *ActivityKind.choices]
        fields["line"].choices = [("", _("不属于创先争优活动")), *Line.choices]
        fields["line"].error_messages["invalid_choice"] = _("创先争优活动载体有误，请重新选择。")
        fields["head_count"].required = False
        fields["head_count"].label = _("不登记姓名的人数")
        fields["head_count"].help_text = _("没有签到、不登记姓名的人数。扫码签到和按人登记的人会另外加上，不要重复填。")
        fields["head_count"].widget.attrs.update({"min": "0", "inputmode": "numeric"})
        fields["hours"].required = False
        acting = user.acting
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
            if acting is not None:
                self.initial.setdefault("organization", acting.organization.pk)
                site = getattr(acting.organization, "womens_home", None)
                if site is not None:
                    self.initial.setdefault("site", site.pk)
        style_fields(self)

    def clean_hours(self) -> Any:
        return self.cleaned_data.get("hours") or 0

    def clean_head_count(self) -> Any:
        return self.cleaned_data.get("head_count") or 0

    def to_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class HonourForm(forms.ModelForm):
    person = PersonIdField(label=_("被推荐人"))

    class Meta:
        model = Honour
        fields = ["organization", "kind", "year", "person", "public_name", "deeds"]
        widgets = {"deeds": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["person"].user = user
        fields["person"].widget = forms.NumberInput()
        fields["person"].help_text = _("在下方名册搜索中点“选择”自动填入。")
        fields["organization"].queryset = federation_choices(user=user)
        fields["organization"].error_messages["invalid_choice"] = _("请选择您管辖范围内的妇联组织。")
        fields["kind"].choices = [("", "---------"), *HonourKind.choices]
        fields["public_name"].required = False
        year = timezone.localdate().year
        fields["year"] = forms.TypedChoiceField(label=_("年度"), coerce=int, initial=year,
                                                choices=[(y, str(y)) for y in (year - 1, year, year + 1)])
        acting = user.acting
        if acting is not None:
            self.initial.setdefault("organization", acting.organization.pk)
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核意见"), widget=forms.RadioSelect,
                                 choices=[("approve", _("同意，开始公示")), ("reject", _("不同意"))])
    reason = forms.CharField(label=_("意见说明"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=60, initial=7)
    working_days = forms.BooleanField(label=_("按工作日计算"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("公示结果"), widget=forms.RadioSelect,
                                 choices=[("award", _("公示期满（无异议或异议不成立），授予荣誉")), ("reject", _("不予授予"))])
    reason = forms.CharField(label=_("说明（不予授予时必填）"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class AnswerForm(forms.Form):
    reply = forms.CharField(label=_("答复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": _("请填写答复内容。")})
    upheld = forms.TypedChoiceField(label=_("核实结果"), widget=forms.RadioSelect, coerce=lambda v: v == "1",
                                    choices=[("0", _("异议不成立")), ("1", _("异议成立"))],
                                    error_messages={"required": _("请选择核实结果。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class QuotaForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("乡镇（街道）妇联"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    target = forms.IntegerField(label=_("每年至少推荐"), min_value=0, max_value=20, initial=1,
                                help_text=_("道德模范每年至少推荐的人数（目标）。"))
    quota = forms.IntegerField(label=_("名额（最多）"), min_value=0, max_value=20, initial=2,
                               help_text=_("公示中和已授予的都占名额。"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = visible_organizations(user).filter(
            kind=Organization.Kind.TOWNSHIP_FEDERATION)
        self.fields["organization"].error_messages["invalid_choice"] = _("请选择您管辖范围内的乡镇（街道）妇联。")
        self.initial.setdefault("year", timezone.localdate().year)
        style_fields(self)


# --- the public forms (no account) ----------------------------------------------------------------

class SignInForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=20, error_messages={"required": _("请填写姓名。")})
    mobile = forms.CharField(label=_("手机号码"), max_length=20, error_messages={"required": _("请填写手机号码。")})
    gender = forms.ChoiceField(label=_("性别"), choices=[("F", _("女")), ("M", _("男"))], initial="F",
                               widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "name", "class": "form-control form-control-lg"})
        self.fields["mobile"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel",
                                                   "class": "form-control form-control-lg"})


