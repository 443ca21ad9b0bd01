"""Forms of 学习教育: they show and collect; every choice is limited to the user's reach here and
checked again in the services (Z-02)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import access
from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import Person, User

from ..models import Campaign, StudyDocument
from ..selectors.study import eligible_authors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def campaign_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=Campaign.objects.none(), label=_("所属活动"), required=False,
                                  empty_label=_("（不属于某项活动）"),
                                  error_messages={"invalid_choice": _("请选择您能看到的活动。")})


def visible_campaigns(user: User) -> Any:
    return access.visible(user, Campaign.objects.order_by("-starts_on", "-id"))


class StudyDocumentForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")})
    published_on = forms.DateField(label=_("印发日期"), widget=DateInput(),
                                   error_messages={"required": _("请填写印发日期。"), "invalid": _("日期格式不对。")})
    campaign = campaign_field()
    summary = forms.CharField(label=_("内容摘要"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label=_("附件"), required=False,
                                 help_text=_("PDF、Word、Excel 或图片，不超过20MB"))

    def __init__(self, data: Any = None, files: Any = None, *, user: User) -> None:
        super().__init__(data, files, initial={"published_on": timezone.localdate()})
        fields: dict[str, Any] = self.fields
        fields["campaign"].queryset = visible_campaigns(user)
        style_fields(self)


class StudyNoteForm(forms.Form):
    author = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("作者"), error_messages={
        "required": _("请选择作者。"), "invalid_choice": _("学习心得的作者须是本组织的干部或女党员。")})
    document = forms.ModelChoiceField(queryset=StudyDocument.objects.none(), label=_("学习文件"), required=False,
                                      empty_label=_("（自选学习内容）"),
                                      error_messages={"invalid_choice": _("请选择您能看到的学习文件。")})
    title = forms.CharField(label=_("题目"), max_length=200, error_messages={"required": _("请填写题目。")})
    text = forms.CharField(label=_("心得内容"), widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": _("请填写心得内容。")})
    written_on = forms.DateField(label=_("撰写日期"), widget=DateInput(),
                                 error_messages={"required": _("请填写撰写日期。"), "invalid": _("日期格式不对。")})

    def __init__(self, data: Any = None, *, user: User, document: StudyDocument | None = None) -> None:
        organization = access.acting_organization_required(user)
        person_id = user.person_id
        authors = eligible_authors(organization)
        initial: dict[str, Any] = {"written_on": timezone.localdate(), "document": document}
        if person_id is not None and authors.filter(pk=person_id).exists():
            initial["author"] = person_id
        super().__init__(data, initial=initial)
        fields: dict[str, Any] = self.fields
        fields["author"].queryset = authors
        fields["document"].queryset = access.visible(user, StudyDocument.objects.order_by("-published_on", "-id"))
        style_fields(self)
