"""Forms of 考评: they show and collect; the services decide (and check reach again)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import figures
from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import Organization

from ..models import Assessment, Campaign, CriteriaSet, SetKind, SubjectKind


def _points(value: Decimal) -> str:
    """20.0 → "20", 12.5 → "12.5"."""
    return f"{value.normalize():f}"




class CriteriaSetForm(forms.Form):
    kind = forms.ChoiceField(label=_("考评类型"), choices=SetKind.choices,
                             help_text=_("五好、五个模范各五项，每项20分；量化指标可再添加自动计算的项目"))
    title = forms.CharField(label=_("考评名称"), max_length=200, required=False,
                            help_text=_("留空则按年度和类型命名"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    campaign = forms.TypedChoiceField(label=_("所属创先争优活动"), required=False, coerce=int, empty_value=None)
    self_due = forms.DateField(label=_("自评截止"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    target_kind = forms.ChoiceField(label=_("考评以下全部组织"), required=False, choices=[
        ("", _("稍后逐一添加")),
        (Organization.Kind.TOWNSHIP_FEDERATION, Organization.Kind.TOWNSHIP_FEDERATION.label),
        (Organization.Kind.VILLAGE_FEDERATION, Organization.Kind.VILLAGE_FEDERATION.label)],
        help_text=_("只适用于组织考评；干部考评在考评页面逐一添加"))

    def __init__(self, data: Any = None, *, campaigns: list[Campaign], initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial={"year": timezone.localdate().year, **(initial or {})})
        self.campaigns = {c.pk: c for c in campaigns}
        cast(forms.ChoiceField, self.fields["campaign"]).choices = [("", _("（不属于某个活动）")), *[(c.pk, c.title) for c in campaigns]]
        style_fields(self)

    def chosen_campaign(self) -> Campaign | None:
        pk = self.cleaned_data.get("campaign")
        return self.campaigns.get(pk) if pk else None


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("考评项目"), max_length=100)
    description = forms.CharField(label=_("考评内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    max_score = forms.DecimalField(label=_("分值（权重）"), max_digits=6, decimal_places=1, min_value=0)
    figure_code = forms.ChoiceField(label=_("由记录自动计算"), required=False)
    target = forms.DecimalField(label=_("满分目标值"), required=False, max_digits=10, decimal_places=1,
                                help_text=_("达到目标值得满分，不足按比例得分"))

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["figure_code"]).choices = [("", _("否，人工评分")), *figures.catalogue()]
        style_fields(self)


class SubjectForm(forms.Form):
    subject = forms.TypedChoiceField(label=_("被考评对象"), coerce=int)

    def __init__(self, data: Any = None, *, criteria_set: CriteriaSet, choices: list[tuple[int, str]]) -> None:
        super().__init__(data)
        field = cast(forms.ChoiceField, self.fields["subject"])
        field.label = _("被考评干部") if criteria_set.subject_kind == SubjectKind.CADRE else _("被考评组织")
        field.choices = choices
        style_fields(self)


class KindForm(forms.Form):
    kind = forms.ChoiceField(label=_("考评以下全部组织"), choices=[
        (Organization.Kind.TOWNSHIP_FEDERATION, Organization.Kind.TOWNSHIP_FEDERATION.label),
        (Organization.Kind.VILLAGE_FEDERATION, Organization.Kind.VILLAGE_FEDERATION.label)])

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        style_fields(self)


class SelfAssessmentForm(forms.Form):
    """One block per criterion: self-score, note, links to records; and the summary."""

    summary = forms.CharField(label=_("自评总结"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data: Any = None, *, assessment: Assessment) -> None:
        super().__init__(data, initial={"summary": assessment.summary})
        self.blocks = []
        for row in assessment.scores.all():
            c = row.criterion
            prefix = f"c{c.pk}"
            if not c.is_computed:
                self.fields[f"{prefix}_score"] = forms.CharField(
                    label=_("自评分（满分%(max)s）") % {"max": _points(c.max_score)}, required=False, initial=row.self_score,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            self.fields[f"{prefix}_note"] = forms.CharField(label=_("自评说明"), required=False, initial=row.self_note,
                                                            widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[f"{prefix}_links"] = forms.CharField(
                label=_("佐证记录（链接或说明，每行一条）"), required=False, initial=row.evidence_links,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.blocks.append((row, [self[f"{prefix}_{n}"] for n in ("score", "note", "links")
                                      if f"{prefix}_{n}" in self.fields]))
        style_fields(self)

    def entries(self) -> dict[int, dict[str, Any]]:
        out = {}
        for row, _fields in self.blocks:
            prefix = f"c{row.criterion_id}"
            out[row.criterion_id] = {"self_score": self.cleaned_data.get(f"{prefix}_score"),
                                     "self_note": self.cleaned_data.get(f"{prefix}_note", ""),
                                     "evidence_links": self.cleaned_data.get(f"{prefix}_links", "")}
        return out

    def submitting(self) -> bool:
        return bool(self.data.get("submit"))


class ScoringForm(forms.Form):
    """The superior's score and comment per criterion (computed ones are filled from the records)."""

    def __init__(self, data: Any = None, *, assessment: Assessment) -> None:
        super().__init__(data)
        self.blocks = []
        for row in assessment.scores.all():
            c = row.criterion
            prefix = f"c{c.pk}"
            names = []
            if not c.is_computed:
                self.fields[f"{prefix}_score"] = forms.CharField(
                    label=_("评分（满分%(max)s）") % {"max": _points(c.max_score)}, required=False,
                    initial=row.score if row.score is not None else row.self_score,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}))
                names.append("score")
            self.fields[f"{prefix}_comment"] = forms.CharField(label=_("评语"), required=False, initial=row.comment,
                                                               widget=forms.Textarea(attrs={"rows": 2}))
            names.append("comment")
            self.blocks.append((row, [self[f"{prefix}_{n}"] for n in names]))
        style_fields(self)

    def entries(self) -> dict[int, dict[str, Any]]:
        return {row.criterion_id: {"score": self.cleaned_data.get(f"c{row.criterion_id}_score"),
                                   "comment": self.cleaned_data.get(f"c{row.criterion_id}_comment", "")}
                for row, _fields in self.blocks}


class EvidenceForm(forms.Form):
    criterion = forms.TypedChoiceField(label=_("考评项目"), coerce=int)
    file = forms.FileField(label=_("佐证材料"), help_text=_("PDF、Word（docx）、Excel（xlsx）或 JPG、PNG 图片，不超过20MB"))

    def __init__(self, data: Any = None, files: Any = None, *, assessment: Assessment) -> None:
        super().__init__(data, files)
        self.criteria = {row.criterion_id: row.criterion for row in assessment.scores.all()}
        cast(forms.ChoiceField, self.fields["criterion"]).choices = [(pk, c.name) for pk, c in self.criteria.items()]
        style_fields(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请写明退回原因，例如需要补充哪些佐证材料。")})

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        style_fields(self)
