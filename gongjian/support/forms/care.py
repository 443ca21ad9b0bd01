"""Forms of 关爱: they show and collect; the services decide (and re-check every choice against the
actor's reach). The person and the 爱心妈妈 are picked from a search (`?q=`), never from a list of
the whole county."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import Organization, Person, User

from ..models.care import CareRecipient, LegalBasis, RecipientCategory
from ..selectors import care as selectors

DATE_INVALID = _("日期格式应为 年-月-日。")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RecipientForm(forms.Form):
    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(label=_("关爱对象（人员库）"), queryset=Person.objects.none(), widget=forms.HiddenInput,
                          error_messages={"required": _("请先查找并选择关爱对象本人。"),
                                          "invalid_choice": _("请选择本辖区内登记的人员。")})
    organization = forms.ModelChoiceField(label=_("登记组织"), queryset=Organization.objects.none(),
                                          error_messages={"required": _("请选择本辖区内的妇联组织。"),
                                                          "invalid_choice": _("请选择本辖区内的妇联组织。")})
    category = forms.ChoiceField(label=_("类别"), choices=RecipientCategory.choices, widget=forms.RadioSelect,
                                 error_messages={"required": _("请选择关爱对象的类别。"),
                                                 "invalid_choice": _("请选择关爱对象的类别。")})
    needs = forms.CharField(label=_("需求和困难"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("例如学习辅导、心理关爱、生活困难、就医需要；只有本组织和上级负责人看得到"))
    guardian_name = forms.CharField(label=_("监护人姓名（儿童必填）"), required=False, max_length=50)
    guardian_mobile = forms.CharField(label=_("监护人电话"), required=False, max_length=20,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    sensitive = forms.BooleanField(label=_("涉及健康、残疾等敏感个人信息"), required=False,
                                   help_text=_("标记后只有本组织和上级负责人看得到详情，不能取消"))
    legal_basis = forms.ChoiceField(label=_("处理个人信息的依据"), choices=LegalBasis.choices, widget=forms.RadioSelect,
                                    error_messages={"required": _("请选择处理个人信息的依据。"),
                                                    "invalid_choice": _("请选择处理个人信息的依据。")},
                                    help_text=_("未满十四周岁的儿童：监护人同意或依法定职责"))
    consent_given = forms.BooleanField(label=_("已取得本人或监护人的书面同意（保存时记录同意时间）"), required=False)
    registered_on = forms.DateField(label=_("登记日期"), widget=DateInput(),
                                    error_messages={"required": _("请填写登记日期。"), "invalid": DATE_INVALID})

    def __init__(self, *args: Any, user: User, instance: CareRecipient | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {
                "person": instance.person_id, "organization": instance.organization_id, "category": instance.category,
                "needs": instance.needs, "guardian_name": instance.guardian_name,
                "guardian_mobile": instance.guardian_mobile, "sensitive": instance.sensitive,
                "legal_basis": instance.legal_basis, "consent_given": instance.consent_at is not None,
                "registered_on": instance.registered_on})
        else:
            kwargs.setdefault("initial", {"registered_on": timezone.localdate(),
                                          "organization": getattr(getattr(user, "acting", None), "organization", None)})
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        from gongjian.kernel import access

        fields["person"].queryset = access.visible(user, Person.objects.all())
        fields["organization"].queryset = selectors.place_choices(user=user)
        if instance is not None:
            for name in ("person", "organization"):
                fields[name].required = False
                fields[name].disabled = True
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if self.instance is not None:
            data.pop("person", None)
            data.pop("organization", None)
        return data


class EndForm(forms.Form):
    reason = forms.CharField(label=_("退出原因"), max_length=200, error_messages={
        "required": _("请写明退出原因（例如父母返乡、年满十六周岁、搬离本村）。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class PairingForm(forms.Form):
    """A 爱心妈妈 for a current recipient: the recipient chosen from the registry in reach, the
    mother from a search (`?q=`)."""

    recipient = forms.ModelChoiceField(label=_("结对的关爱对象"), queryset=CareRecipient.objects.none(),
                                       error_messages={"required": _("只能为名册中的关爱对象结对。"),
                                                       "invalid_choice": _("只能为名册中的关爱对象结对。")})
    mentor = forms.ModelChoiceField(label=_("爱心妈妈"), queryset=Person.objects.none(), widget=forms.HiddenInput,
                                    error_messages={"required": _("请先查找并选择爱心妈妈。"),
                                                    "invalid_choice": _("请选择本辖区内的爱心妈妈。")})
    started_on = forms.DateField(label=_("结对日期"), widget=DateInput(),
                                 error_messages={"required": _("结对日期不能晚于今天。"), "invalid": DATE_INVALID})
    interval_days = forms.TypedChoiceField(label=_("走访周期"), coerce=int, choices=[
        (7, _("每周")), (14, _("每两周")), (30, _("每月")), (60, _("每两个月")), (90, _("每季度"))],
        error_messages={"required": _("联系周期应在1到366天之间。"), "invalid_choice": _("联系周期应在1到366天之间。")})
    note = forms.CharField(label=_("帮扶内容"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("例如学习辅导、亲情陪伴、生活照料"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"started_on": timezone.localdate(), "interval_days": 30})
        super().__init__(*args, **kwargs)
        from gongjian.kernel import access

        fields: dict[str, Any] = self.fields
        fields["recipient"].queryset = selectors.recipient_list_visible_to(user=user)
        labels = {r.pk: f"{r.display_name} · {r.get_category_display()} · {r.organization.name}"
                  for r in selectors.current_recipient_choices(user=user)}
        fields["recipient"].label_from_instance = lambda r: labels.get(r.pk, str(r))
        fields["mentor"].queryset = access.visible(user, Person.objects.all())
        style_fields(self)


class VisitForm(forms.Form):
    date = forms.DateField(label=_("走访日期"), widget=DateInput(), error_messages={
        "required": _("日期应在结对日期和今天之间。"), "invalid": DATE_INVALID})
    content = forms.CharField(label=_("做了什么"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("请写明帮带内容（至少4个字）。")},
                              help_text=_("例如辅导作业、谈心、送学习用品、和家长通电话"))
    photo = forms.FileField(label=_("照片（可选，不公开）"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        style_fields(self)


class PairingEndForm(forms.Form):
    reason = forms.CharField(label=_("结束原因"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
