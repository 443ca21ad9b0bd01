"""Builders of development records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- talent ---
from typing import Any as _TAny  # noqa: E402

from gongjian.development.models import Talent as _Talent  # noqa: E402
from gongjian.development.services import talent as _talent_services  # noqa: E402
from gongjian.kernel.access import acting_organization_required as _acting_org  # noqa: E402
from gongjian.kernel.models import Person as _Person  # noqa: E402
from gongjian.kernel.tests.matrix import persona as _persona  # noqa: E402


def woman_of(org_name: str, index: int = 0) -> _Person:
    """A demo woman of the organisation holding no position (an ordinary resident)."""
    women = _Person.objects.filter(organization__name=org_name, gender="F", positions__isnull=True).order_by("id")
    return women[index]


def talent_collected(by: str = "xiaoliu_women", *, woman: _Person | None = None, **data: _TAny) -> _Talent:
    """A draft entry collected by `by` (a woman of its own federation unless given)."""
    actor = _persona(by)
    org = _acting_org(actor)
    fields = {"person": woman or woman_of(org.name, 2), "kind": "rich_able", "trade": "苹果种植",
              "skills": "果树修剪", "enterprise": "", "income": None, "jobs": 8, "deeds": "", **data}
    return _talent_services.talent_create(actor=actor, data={**fields, "organization": org})


def talent_reported(by: str = "xiaoliu_women", **data: _TAny) -> _Talent:
    talent = talent_collected(by, **data)
    return _talent_services.talent_report(actor=_persona(by), talent=talent)


def talent_forwarded(by: str = "xiaoliu_women", township: str = "taihua_fed", **data: _TAny) -> _Talent:
    talent = talent_reported(by, **data)
    return _talent_services.talent_forward(actor=_persona(township), talent=talent)


def talent_accepted(by: str = "xiaoliu_women", township: str = "taihua_fed", county: str = "huayin_fed",
                    **data: _TAny) -> _Talent:
    talent = talent_forwarded(by, township, **data)
    return _talent_services.talent_accept(actor=_persona(county), talent=talent)
# --- end talent ---

# --- cultivation ---
# isort: split
from datetime import date as _cdate  # noqa: E402

from gongjian.development.models import CultivationStep as _CultivationStep  # noqa: E402
from gongjian.development.models import Recommendation as _Recommendation  # noqa: E402
from gongjian.development.services import cultivation as _cultivation_services  # noqa: E402
from gongjian.kernel.tests.matrix import Place as _Place  # noqa: E402
from gongjian.kernel.tests.matrix import person as _matrix_person  # noqa: E402

DEEDS = "带领本村妇女发展苹果种植，热心公益，群众基础好。"


def village_woman(village: str = "小留村") -> _Person:
    """A new woman (群众) registered with the village's federation."""
    return _matrix_person(_Place(village))


def recommended(person: _Person | None = None, *, by: str = "xiaoliu_women",
                on: _cdate = _cdate(2026, 3, 1)) -> _Recommendation:
    """A woman recommended by `by`'s federation to the party branch of her village."""
    return _cultivation_services.recommendation_create(actor=_persona(by), person=person or village_woman(),
                                                       recommended_on=on, reason=DEEDS)


def decided(recommendation: _Recommendation, step: str, *, by: str = "xiaoliu_branch",
            on: _cdate = _cdate(2026, 4, 1), note: str = "") -> _CultivationStep:
    """The party side's decision of a step (`note` is the reason when it ends the cultivation)."""
    recommendation.refresh_from_db()
    return _cultivation_services.cultivation_decide(actor=_persona(by), recommendation=recommendation, step=step,
                                                    decided_on=on, note=note or "支部委员会研究决定")
# --- end cultivation ---

# --- loan ---
# isort: split
from datetime import date as _loan_date  # noqa: E402
from datetime import timedelta as _LoanTimedelta  # noqa: E402
from decimal import Decimal as _LoanDecimal  # noqa: E402
from typing import Any as _LoanAny  # noqa: E402

from gongjian.development.models import Loan  # noqa: E402
from gongjian.development.services import loan as _loan_services  # noqa: E402
from gongjian.kernel.models import Organization as _LoanOrganization  # noqa: E402
from gongjian.kernel.models import Person as _LoanPerson  # noqa: E402
from gongjian.kernel.models import User as _LoanUser  # noqa: E402


def demo_village_woman(village: str = "小留村", *, index: int = 0) -> _LoanPerson:
    """A demo woman of a village (kept by its federation)."""
    fed = _LoanOrganization.objects.get(name=f"{village}妇联")
    return _LoanPerson.objects.filter(organization=fed, gender="F").order_by("id")[index]


def loan_applied(actor: _LoanUser, applicant: _LoanPerson | None = None, **data: _LoanAny) -> Loan:
    """An application through the service (by the village's staff, or one above)."""
    values: dict[str, _LoanAny] = {
        "applicant": applicant or demo_village_woman(), "purpose": "扩大苹果园", "amount": _LoanDecimal("24000"),
        "term_months": 12, "guarantee": "反担保人一名", "business_plan": "扩种苹果二十亩，带动本村妇女五人就业。",
        "jobs_created": 5, "partner_kind": "hrss", "partner_name": "华阴市人社局", "scheme": "interest_free",
        "annual_rate": 0, "cadre": None}
    values.update(data)
    return _loan_services.loan_apply(actor=actor, data=values)


def loan_disbursed(village_actor: _LoanUser, township_actor: _LoanUser, *, disbursed_on: _loan_date,
                   applicant: _LoanPerson | None = None, **data: _LoanAny) -> Loan:
    """Applied, checked, reviewed, approved and disbursed (the schedule made) through the services."""
    data.setdefault("applied_on", disbursed_on - _LoanTimedelta(days=20))
    found = loan_applied(village_actor, applicant, **data)
    found = _loan_services.loan_check(actor=village_actor, loan=found, note="属实")
    found = _loan_services.loan_review(actor=township_actor, loan=found, passed=True, note="同意")
    found = _loan_services.loan_decide(actor=township_actor, loan=found, approved=True,
                                       decided_on=disbursed_on - _LoanTimedelta(days=5),
                                       note="同意发放")
    return _loan_services.loan_disburse(actor=township_actor, loan=found, disbursed_on=disbursed_on)
# --- end loan ---

# --- demonstration ---
DEMONSTRATION_TOPIC = "demonstration"  # (a statement: the imports below are this section's own block)

from datetime import date as _date  # noqa: E402
from typing import Any as _Any  # noqa: E402

from gongjian.kernel.models import Organization as _Org  # noqa: E402
from gongjian.kernel.models import User as _User  # noqa: E402


def propose_demonstration(actor: _User, village: str = "南营村妇联", **extra: _Any) -> _Any:
    from gongjian.development.services.demonstration import demonstration_propose

    data: dict[str, _Any] = {"organization": _Org.objects.get(name=village), "kind": "base",
                             "name": "南营村巾帼科技致富示范基地", "trade": "设施蔬菜",
                             "description": "大棚蔬菜种植，统一技术指导和销售。", "women_count": 12, **extra}
    return demonstration_propose(actor=actor, data=data)


def designated_demonstration(proposer: _User, county: _User, **extra: _Any) -> _Any:
    from gongjian.development.services.demonstration import demonstration_designate

    found = propose_demonstration(proposer, **extra)
    return demonstration_designate(actor=county, demonstration=found, criteria="带动妇女10人以上，年收入稳定",
                                   evaluation="示范带动作用明显")


def record_placement(actor: _User, woman: _Person, **extra: _Any) -> _Any:
    from gongjian.development.services.demonstration import placement_record

    data: dict[str, _Any] = {"person": woman, "training": "家政服务培训", "employer": "华阴市巾帼家政公司",
                             "work": "家政服务员", "scope": "local", "placed_on": _date.today(), **extra}
    return placement_record(actor=actor, data=data)
# --- end demonstration ---
