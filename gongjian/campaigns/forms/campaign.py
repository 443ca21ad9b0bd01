"""Forms of campaigns and plans: they show and collect; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.figures import Line
from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import Organization

from ..models import Campaign, Theme
from ..services import campaign as services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")




class CampaignForm(forms.Form):
    """A campaign's text, lines, co-issuers, targets and dates (its phases: `PhaseFormSet`)."""

    title = forms.CharField(label=_("活动名称"), max_length=200, error_messages={"required": _("请填写活动名称。")})
    theme = forms.ChoiceField(label=_("主题"), choices=Theme.choices, initial=Theme.STRONG_ORGANIZATION)
    goals = forms.CharField(label=_("目标要求"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("例如：争创“五好”基层妇联组织，争当“五个模范”妇联干部"))
    body = forms.CharField(label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    lines = forms.MultipleChoiceField(label=_("活动载体"), choices=Line.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    co_organizations = forms.ModelMultipleChoiceField(
        label=_("联合发文（同级党委）"), queryset=Organization.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("联动机制：党委和妇联联合部署，党建带妇建"))
    target_kinds = forms.MultipleChoiceField(
        label=_("参加组织类型"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k, Organization.Kind(k).label) for k in services.TARGET_KINDS],
        help_text=_("本组织下级中这些类型的妇联组织都要报送方案"))
    target_organizations = forms.ModelMultipleChoiceField(
        label=_("或逐个指定参加组织"), queryset=Organization.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, error_messages={"required": _("请填写开始日期。")})
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)
    plan_due = forms.DateField(label=_("方案报送截止"), widget=DATE, required=False,
                               help_text=_("各参加组织须在这天之前（含当天）报送活动方案"))

    def __init__(self, data: Any = None, *, issuer: Organization, instance: Campaign | None = None) -> None:
        initial: dict[str, Any] = {}
        if instance is not None:
            initial = {name: getattr(instance, name) for name in services.CAMPAIGN_FIELDS}
            initial["co_organizations"] = list(instance.co_organizations.values_list("pk", flat=True))
            initial["target_organizations"] = list(instance.target_organizations.values_list("pk", flat=True))
        super().__init__(data, initial=initial)
        self.instance = instance
        fields: dict[str, Any] = self.fields
        fields["co_organizations"].queryset = services.co_issuer_choices(issuer)
        fields["target_organizations"].queryset = services.target_choices(issuer)
        if instance is not None and instance.state != "draft":
            # Issued: the targets are fixed (their plans exist).
            del fields["target_kinds"]
            del fields["target_organizations"]
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        out = {name: data[name] for name in services.CAMPAIGN_FIELDS if name in data}
        out["goals"] = out.get("goals") or ""
        out["body"] = out.get("body") or ""
        return out

    def co_issuers(self) -> list[Organization]:
        return list(self.cleaned_data.get("co_organizations") or [])

    def targets(self) -> list[Organization]:
        return list(self.cleaned_data.get("target_organizations") or [])


class PhaseForm(forms.Form):
    """One phase row: name, dates and tasks. A row left without a name is not a phase."""

    name = forms.CharField(label=_("阶段名称"), max_length=100, required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE, required=False)
    tasks = forms.CharField(label=_("主要任务"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class PhaseFormSet(forms.BaseFormSet[PhaseForm]):
    """The phases' rows: what `formset_factory(PhaseForm, extra=2, max_num=12, absolute_max=12)`
    would make, written as a class so the type checker knows it."""

    form = PhaseForm
    extra = 2
    min_num = 0
    max_num = 12
    absolute_max = 12
    validate_min = False
    validate_max = False
    can_order = False
    can_delete = False
    can_delete_extra = True
    renderer = None

    def rows(self) -> list[dict[str, Any]]:
        """The filled rows in order (a row with nothing in it is skipped)."""
        out = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {}) or {}
            if any(data.get(k) for k in ("name", "starts_on", "ends_on", "tasks")):
                out.append({k: data.get(k) for k in ("name", "starts_on", "ends_on", "tasks")})
        return out


def phase_formset(data: Any = None, *, instance: Campaign | None = None) -> PhaseFormSet:
    initial = []
    if instance is not None:
        initial = [{"name": p.name, "starts_on": p.starts_on, "ends_on": p.ends_on, "tasks": p.tasks}
                   for p in instance.phases.order_by("sort_order", "starts_on", "id")]
    return PhaseFormSet(data, initial=initial, prefix="phases")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe): cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data]
        return [one(data, initial)] if data else []


class PlanForm(forms.Form):
    """A target organisation's plan: title, text, files and its leading group."""

    title = forms.CharField(label=_("方案标题"), max_length=200, error_messages={"required": _("请填写方案标题。")})
    body = forms.CharField(label=_("方案内容"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    leading_group = forms.ModelChoiceField(
        label=_("领导小组"), queryset=Organization.objects.none(), required=False,
        empty_label=_("（暂未成立）"), error_messages={"invalid_choice": _("领导小组须为本组织下设的领导小组。")})
    attachments = MultipleFileField(label=_("附件（PDF、Word、Excel、图片，最多5个）"), required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = self.fields["leading_group"]
        assert isinstance(groups, forms.ModelChoiceField)
        groups.queryset = services.leading_group_choices(organization)
        style_fields(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=1000, min_length=2,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请填写退回原因。"), "min_length": _("请填写退回原因。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class AcceptForm(forms.Form):
    comment = forms.CharField(label=_("审核意见（选填）"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
