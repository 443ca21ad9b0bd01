"""The women's home offers its figures to the other bodies of work through kernel.figures: the
same numbers the figures page shows, for many organisations at once, optionally for one
创先争优 line, in a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongjian.kernel import figures
from gongjian.kernel.figures import Ask, Line
from gongjian.kernel.models import Organization, Person
from gongjian.kernel.tests.matrix import persona
from gongjian.womenshome import services, stats

from .factories import make_activity

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))

#: kernel code → the attribute of stats.Figures with the same definition.
SAME_AS = {"activities": "activities", "trainings": "training_sessions", "people_trained": "people_trained",
           "training_person_times": "training_person_times", "person_times": "person_times",
           "performances": "public_performances", "hours": "hours"}


def read(username: str, organizations: list[Organization], **kwargs):
    return figures.read(user=persona(username), organizations=organizations, start=YEAR[0], end=YEAR[1],
                        codes=[f"womenshome.{code}" for code in SAME_AS], **kwargs)


@pytest.mark.parametrize(("username", "names", "period"), [
    ("huayin_fed", ["华阴市妇联", "太华路街道妇联", "罗敷镇妇联", "小留村妇联", "郭家村妇联", "太华社区妇联"], YEAR),
    ("taihua_fed", ["太华路街道妇联", "南营村妇联"], (date(2026, 3, 1), date(2026, 6, 30))),
    ("lingsha_fed", ["灵沙乡妇联"], YEAR),
])
def test_every_figure_equals_the_figures_page_for_the_same_organisation_and_period(org, username, names, period):
    organizations = [org(name) for name in names]
    got = figures.read(user=persona(username), organizations=organizations, start=period[0], end=period[1],
                       codes=[f"womenshome.{code}" for code in SAME_AS])
    for organization in organizations:
        page = stats.figures(user=persona(username), organization=organization, date_from=period[0],
                             date_to=period[1], with_coverage=False)
        expected = {f"womenshome.{code}": getattr(page, attr) for code, attr in SAME_AS.items()}
        assert got[organization.pk] == expected, organization.name
    assert got[organizations[0].pk]["womenshome.activities"] > 0


def test_a_person_trained_in_two_villages_is_one_person_trained_in_their_township(acting, org):
    before = read("taihua_fed", [org("太华路街道妇联"), org("郭家村妇联")])
    person = Person.objects.create(name="两村都来学", gender="F", organization=org("小留村妇联"))
    lead = acting("taihua_fed")
    for village in ("小留村妇联", "郭家村妇联"):
        activity = make_activity(lead, org(village), title=f"{village}新培训", line=Line.QUALITY)
        services.attendance_add(actor=lead, activity=activity, person=person)
    after = read("taihua_fed", [org("太华路街道妇联"), org("郭家村妇联")])
    township, guojia = org("太华路街道妇联").pk, org("郭家村妇联").pk
    assert after[township]["womenshome.people_trained"] == before[township]["womenshome.people_trained"] + 1
    assert after[township]["womenshome.training_person_times"] == (
        before[township]["womenshome.training_person_times"] + 2)
    assert after[guojia]["womenshome.people_trained"] == before[guojia]["womenshome.people_trained"] + 1


def test_a_line_counts_only_the_activities_tagged_to_it(acting, org):
    village = org("小留村妇联")
    tagged = {line: read("xiaoliu_women", [village], tag=line)[village.pk] for line in (Line.STUDY, Line.QUALITY)}
    total = read("xiaoliu_women", [village])[village.pk]
    director = acting("xiaoliu_women")
    study = make_activity(director, village, title="学习讨论座谈会", kind="meeting", line=Line.STUDY,
                          attendance_mode="headcount", head_count=25)
    make_activity(director, village, title="不属于创先争优的例会", kind="meeting",
                  attendance_mode="headcount", head_count=9)
    now = {line: read("xiaoliu_women", [village], tag=line)[village.pk] for line in (Line.STUDY, Line.QUALITY)}
    assert now[Line.STUDY]["womenshome.activities"] == tagged[Line.STUDY]["womenshome.activities"] + 1
    assert now[Line.STUDY]["womenshome.person_times"] == tagged[Line.STUDY]["womenshome.person_times"] + 25
    assert now[Line.STUDY]["womenshome.hours"] == tagged[Line.STUDY]["womenshome.hours"] + study.hours
    assert now[Line.QUALITY] == tagged[Line.QUALITY]
    assert read("xiaoliu_women", [village])[village.pk]["womenshome.activities"] == (
        total["womenshome.activities"] + 2)


def test_the_demo_trainings_are_all_counted_under_quality(org):
    """Every demo training is tagged 素质提升: the tagged figures equal the untagged ones for trainings."""
    township = org("太华路街道妇联")
    quality = read("taihua_fed", [township], tag=Line.QUALITY)[township.pk]
    everything = read("taihua_fed", [township])[township.pk]
    for code in ("trainings", "people_trained", "training_person_times"):
        assert quality[f"womenshome.{code}"] == everything[f"womenshome.{code}"] > 0
    assert quality["womenshome.performances"] == 0


def test_only_the_asked_codes_are_computed(org):
    township = org("太华路街道妇联")
    ask = Ask(organizations=[township], start=YEAR[0], end=YEAR[1], codes=frozenset({"activities"}))
    with CaptureQueriesContext(connection) as captured:
        answer = stats.offered(ask)
    assert answer[township.pk]["activities"] > 0 and "people_trained" not in answer[township.pk]
    assert len(captured) == 2  # the activity sums and the paths of the organisations that recorded them
    assert "womenshome_attendance" not in " ".join(q["sql"] for q in captured.captured_queries)


def test_twenty_organisations_cost_the_queries_one_does(org):
    xiaoliu = org("小留村妇联")
    villages = [xiaoliu, *Organization.objects.filter(kind=Organization.Kind.VILLAGE_FEDERATION, path__startswith=org(
        "华阴市妇联").path).exclude(pk=xiaoliu.pk).order_by("path")[:19]]
    assert len(villages) == 20

    def cost(organizations: list[Organization]) -> int:
        with CaptureQueriesContext(connection) as captured:
            stats.offered(Ask(organizations=organizations, start=YEAR[0], end=YEAR[1]))
        return len(captured)

    assert cost(villages[:1]) == cost(villages) <= 5


def test_beyond_the_term_limit_the_answer_is_the_same(org, monkeypatch):
    """Asked for many separate subtrees, the source narrows by their common ancestor instead."""
    villages = list(Organization.objects.filter(kind=Organization.Kind.VILLAGE_FEDERATION,
                                                path__startswith=org("太华路街道妇联").path).order_by("path"))
    ask = Ask(organizations=[*villages, org("罗敷镇妇联")], start=YEAR[0], end=YEAR[1])
    narrow = stats.offered(ask)
    monkeypatch.setattr(figures, "MAX_SUBTREE_TERMS", 2)
    assert stats.offered(ask) == narrow


def test_nobody_asked_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert stats.offered(Ask(organizations=[], start=YEAR[0], end=YEAR[1])) == {}
