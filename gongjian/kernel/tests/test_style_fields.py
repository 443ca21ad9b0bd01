"""kernel.forms.style_fields (issue 13 "Words"): 请选择 instead of dashes, the only record preselected,
the number pad for mobiles — in every app's forms at once."""

from __future__ import annotations

import pytest
from django import forms

from gongjian.kernel.forms import style_fields
from gongjian.kernel.models import Organization

pytestmark = pytest.mark.django_db


class Sample(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none())
    optional_org = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")])
    mobile = forms.CharField()
    contact_mobile = forms.CharField()
    id_number = forms.CharField()

    def __init__(self, *args: object, orgs: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organization"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["optional_org"].queryset = orgs  # type: ignore[attr-defined]
        style_fields(self)


def test_selects_say_please_choose_and_mobiles_open_the_number_pad():
    form = Sample(orgs=Organization.objects.filter(name="小留村妇联"))
    html = str(form)
    assert "---------" not in html and html.count("请选择") == 3
    assert 'inputmode="numeric"' in str(form["mobile"]) and 'inputmode="numeric"' in str(form["contact_mobile"])
    assert "inputmode" not in str(form["id_number"])  # an ID number may end in X


def test_her_only_organisation_is_preselected_but_not_one_of_several_or_an_optional_one():
    only = Organization.objects.get(name="小留村妇联")
    form = Sample(orgs=Organization.objects.filter(pk=only.pk))
    assert form.initial == {"organization": only.pk}
    assert f'<option value="{only.pk}" selected>' in str(form["organization"])
    several = Sample(orgs=Organization.objects.filter(name__in=["小留村妇联", "郭家村妇联"]))
    assert "organization" not in several.initial
    bound = Sample({"kind": "a"}, orgs=Organization.objects.filter(pk=only.pk))
    assert "organization" not in bound.initial
