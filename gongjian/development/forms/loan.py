"""Forms of 小额贷款: they show and collect; the services decide (and re-check every choice)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import User

from ..models import Loan, LoanScheme, PartnerKind
from ..selectors import loan as selectors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


DATE_ERRORS = {"required": _("请填写日期。"), "invalid": _("日期格式应为 年-月-日。")}


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        org = getattr(obj, "organization", None)
        return f"{obj.name}（{org.name}）" if org is not None else str(obj.name)


class LoanForm(forms.ModelForm):
    """A woman's application (by her or for her)."""

    class Meta:
        model = Loan
        fields = ["applicant", "purpose", "amount", "term_months", "guarantee", "business_plan", "jobs_created",
                  "partner_kind", "partner_name", "scheme", "annual_rate", "cadre"]
        widgets = {"business_plan": forms.Textarea(attrs={"rows": 5}), "guarantee": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"applicant": PersonChoice, "cadre": PersonChoice}
        error_messages = {
            "applicant": {"required": _("请选择申请人。"), "invalid_choice": _("请选择本辖区的妇女作为申请人。")},
            "purpose": {"required": _("请填写贷款用途。")},
            "amount": {"required": _("请填写贷款金额（元）。"), "invalid": _("贷款金额应为数字。")},
            "term_months": {"required": _("请填写贷款期限（月）。"), "invalid": _("贷款期限应为整数月。")},
            "guarantee": {"required": _("请填写担保方式（如：反担保人、信用社区担保）。")},
            "business_plan": {"required": _("请写明创业计划（至少10个字）。")},
            "jobs_created": {"invalid": _("带动就业人数应为整数。")},
            "partner_kind": {"required": _("请选择合作方类别。"), "invalid_choice": _("请选择合作方类别。")},
            "scheme": {"required": _("请选择还款方式。"), "invalid_choice": _("请选择还款方式。")},
            "annual_rate": {"invalid": _("年利率应为0至24。")},
            "cadre": {"invalid_choice": _("责任干部须为本辖区的在任干部。")},
        }

    plan_file = forms.FileField(label=_("创业计划附件（可选，PDF/Word/Excel/图片）"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["applicant"].queryset = selectors.applicant_choices(user=user)
        fields["cadre"].queryset = selectors.cadre_choices(user=user)
        fields["cadre"].required = False
        fields["cadre"].empty_label = _("（提醒发给本村妇联）")
        fields["guarantee"].required = True
        fields["business_plan"].required = True
        fields["partner_kind"].choices = PartnerKind.choices
        fields["scheme"].choices = LoanScheme.choices
        fields["annual_rate"].required = False
        fields["annual_rate"].help_text = _("贷免扶补免息贷款不填")
        fields["jobs_created"].required = False
        fields["amount"].widget.attrs.update(inputmode="decimal", min="100", step="0.01")
        fields["term_months"].widget.attrs.update(inputmode="numeric", min="1", max="60")
        fields["purpose"].widget.attrs["placeholder"] = _("例如：扩大苹果园、购买农机")
        fields["partner_name"].widget.attrs["placeholder"] = _("例如：平罗县人社局、农村信用社")
        style_fields(self)

    def to_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "plan_file"}
        data["jobs_created"] = data.get("jobs_created") or 0
        data["annual_rate"] = data.get("annual_rate") or 0
        return data


class NoteForm(forms.Form):
    """村级核实 / 乡镇审核: a note (a reason when returning)."""

    note = forms.CharField(label=_("意见"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class DecisionForm(forms.Form):
    """The partner's decision, recorded by federation staff."""

    approved = forms.TypedChoiceField(label=_("合作方决定"), coerce=lambda v: v == "1",
                                      choices=[("1", _("批准")), ("0", _("不批准"))],
                                      widget=forms.RadioSelect, error_messages={"required": _("请选择合作方的决定。")})
    decided_on = forms.DateField(label=_("批复日期"), widget=DateInput(), error_messages=DATE_ERRORS)
    partner_name = forms.CharField(label=_("合作方名称"), max_length=100, required=False)
    note = forms.CharField(label=_("合作方意见"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(label=_("批复文件（PDF/图片）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        style_fields(self)


class DisburseForm(forms.Form):
    disbursed_on = forms.DateField(label=_("放款日期"), widget=DateInput(), error_messages=DATE_ERRORS)
    amount = forms.DecimalField(label=_("放款金额（元，不填为申请金额）"), required=False, max_digits=12,
                                decimal_places=2, error_messages={"invalid": _("放款金额应为数字。")})
    first_due_on = forms.DateField(label=_("首期还款日（不填为放款后一个月）"), required=False, widget=DateInput(),
                                   error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disbursed_on"].initial = timezone.localdate()
        style_fields(self)


class RepaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("还款金额（元）"), max_digits=12, decimal_places=2,
                                error_messages={"required": _("请填写还款金额（元）。"), "invalid": _("还款金额应为数字。")})
    paid_on = forms.DateField(label=_("还款日期"), widget=DateInput(), error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"
        style_fields(self)


class SubsidyForm(forms.Form):
    period_start = forms.DateField(label=_("贴息起始日期"), widget=DateInput(), error_messages=DATE_ERRORS)
    period_end = forms.DateField(label=_("贴息截止日期"), widget=DateInput(), error_messages=DATE_ERRORS)
    amount = forms.DecimalField(label=_("贴息金额（元）"), max_digits=12, decimal_places=2,
                                error_messages={"required": _("请填写贴息金额（元）。"), "invalid": _("贴息金额应为数字。")})
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class RevealForm(forms.Form):
    field = forms.ChoiceField(label=_("字段"), choices=[("business_plan", _("创业计划")), ("guarantee", _("担保方式"))])
    reason = forms.CharField(label=_("查看原因"), max_length=200, error_messages={"required": _("请填写查看原因。")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
