"""The figures mechanism: a body of work offers counts per organisation subtree, period and
campaign line; a reader asks for a user and never sees past her reach."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from gongjian.kernel import figures
from gongjian.kernel.figures import Ask, Line, Source
from gongjian.kernel.models import Organization
from gongjian.kernel.tests.matrix import persona

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


class Probe:
    """A test body of work: `recorded` per recording organisation (and per tag), the asks it saw."""

    def __init__(self, name: str = "probe", taggable: frozenset[str] = frozenset({"plans"})) -> None:
        self.name = name
        self.recorded: dict[str, dict[int, dict[str, Any]]] = {"": {}}
        self.asks: list[Ask] = []
        self.source = Source(name, "测试来源", {"plans": "方案", "pledges": "承诺"}, self.provide,
                             taggable=taggable)

    def provide(self, ask: Ask) -> figures.Answer:
        self.asks.append(ask)
        return figures.rollup_many(self.recorded.get(ask.tag, {}), ask.organizations)


@pytest.fixture
def probe() -> Iterator[Probe]:
    made = Probe()
    figures.offer(made.source)
    try:
        yield made
    finally:
        figures.withdraw(made.name)


@pytest.fixture
def tree(org) -> dict[str, Organization]:
    return {"huayin": org("华阴市妇联"), "taihua": org("太华路街道妇联"), "xiaoliu": org("小留村妇联"),
            "guojia": org("郭家村妇联"), "luofu": org("罗敷镇妇联"), "pingluo": org("平罗县妇联")}


# --- rollup -------------------------------------------------------------------------------------

def test_a_recording_organisation_adds_to_itself_and_every_asked_ancestor_but_not_to_siblings(tree):
    asked = [tree["huayin"], tree["taihua"], tree["xiaoliu"], tree["guojia"], tree["luofu"], tree["pingluo"]]
    got = figures.rollup({tree["xiaoliu"].pk: 3, tree["guojia"].pk: 2}, asked)
    assert got == {tree["huayin"].pk: 5, tree["taihua"].pk: 5, tree["xiaoliu"].pk: 3, tree["guojia"].pk: 2,
                   tree["luofu"].pk: 0, tree["pingluo"].pk: 0}


def test_an_ancestor_that_was_not_asked_gets_nothing_and_a_record_above_the_asked_one_does_not_count(tree):
    got = figures.rollup({tree["huayin"].pk: 7, tree["xiaoliu"].pk: 1}, [tree["taihua"]])
    assert got == {tree["taihua"].pk: 1}


def test_ids_of_no_organisation_and_zeros_are_ignored_and_every_asked_organisation_answers(tree):
    got = figures.rollup({987654321: 4, tree["guojia"].pk: 0, tree["xiaoliu"].pk: 2},
                         [tree["taihua"], tree["guojia"], tree["pingluo"]])
    assert got == {tree["taihua"].pk: 2, tree["guojia"].pk: 0, tree["pingluo"].pk: 0}


def test_nothing_recorded_answers_zero_without_a_query(tree, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert figures.rollup({}, [tree["taihua"]]) == {tree["taihua"].pk: 0}
        assert figures.rollup_many({}, [tree["taihua"]]) == {tree["taihua"].pk: {}}


def test_an_organisation_asked_twice_is_counted_once(tree):
    assert figures.rollup({tree["xiaoliu"].pk: 3}, [tree["taihua"], tree["taihua"]]) == {tree["taihua"].pk: 3}


def test_many_codes_roll_up_in_one_query_and_every_code_given_is_in_every_row(tree, django_assert_num_queries):
    counts = {tree["xiaoliu"].pk: {"plans": 1, "hours": Decimal("2.5")},
              tree["guojia"].pk: {"plans": 2, "pledges": 4},
              tree["luofu"].pk: {"hours": Decimal("1")}}
    with django_assert_num_queries(1):
        got = figures.rollup_many(counts, [tree["taihua"], tree["huayin"], tree["pingluo"]])
    assert got[tree["taihua"].pk] == {"plans": 3, "hours": Decimal("2.5"), "pledges": 4}
    assert got[tree["huayin"].pk] == {"plans": 3, "hours": Decimal("3.5"), "pledges": 4}
    assert got[tree["pingluo"].pk] == {"plans": 0, "hours": 0, "pledges": 0}


def test_distinct_members_are_counted_once_per_subtree(tree):
    pairs = [(tree["xiaoliu"].pk, "王秀英"), (tree["guojia"].pk, "王秀英"), (tree["guojia"].pk, "李桂兰"),
             (tree["xiaoliu"].pk, "王秀英"), (987654321, "赵小红")]
    got = figures.rollup_distinct(pairs, [tree["taihua"], tree["xiaoliu"], tree["guojia"], tree["pingluo"]])
    assert got == {tree["taihua"].pk: 2, tree["xiaoliu"].pk: 1, tree["guojia"].pk: 2, tree["pingluo"].pk: 0}


# --- within_asked -------------------------------------------------------------------------------

def ask_for(*organizations: Organization) -> Ask:
    return Ask(organizations=list(organizations), start=YEAR[0], end=YEAR[1])


def test_rows_are_narrowed_to_the_asked_subtrees(tree):
    below = figures.within_asked(Organization.objects.all(), ask_for(tree["xiaoliu"], tree["luofu"], tree["taihua"]),
                                 via="")
    names = set(below.values_list("name", flat=True))
    assert {"小留村妇联", "郭家村妇联", "太华路街道妇联", "罗敷镇妇联"} <= names
    assert not names & {"华阴市妇联", "平罗县妇联", "灵沙乡妇联"}
    assert not figures.within_asked(Organization.objects.all(), ask_for(), via="").exists()


def test_past_the_term_limit_rows_are_narrowed_by_the_common_ancestor(tree, monkeypatch):
    monkeypatch.setattr(figures, "MAX_SUBTREE_TERMS", 1)
    below = figures.within_asked(Organization.objects.all(), ask_for(tree["xiaoliu"], tree["luofu"]), via="")
    names = set(below.values_list("name", flat=True))
    assert {"小留村妇联", "罗敷镇妇联", "华阴市妇联"} <= names  # everything under their common county
    assert "平罗县妇联" not in names


# --- read ---------------------------------------------------------------------------------------

def test_a_lead_reads_her_subtree_and_a_code_with_no_records_answers_zero(probe, tree):
    probe.recorded[""] = {tree["xiaoliu"].pk: {"plans": 1}, tree["guojia"].pk: {"plans": 1}}
    got = figures.read(user=persona("taihua_fed"), organizations=[tree["taihua"], tree["xiaoliu"]],
                       start=YEAR[0], end=YEAR[1], codes=["probe.plans", "probe.pledges"])
    assert got == {tree["taihua"].pk: {"probe.plans": 2, "probe.pledges": 0},
                   tree["xiaoliu"].pk: {"probe.plans": 1, "probe.pledges": 0}}


@pytest.mark.parametrize(("username", "name"), [
    ("xiaoliu_women", "太华路街道妇联"),  # her superior
    ("xiaoliu_women", "郭家村妇联"),  # a sibling village
    ("taihua_fed", "平罗县妇联"),  # another county
    ("lingsha_fed", "小留村妇联"),
    ("auditor", "小留村妇联"),  # admin roles see no domain data
])
def test_an_organisation_out_of_reach_is_refused_and_no_source_is_asked(probe, org, username, name):
    with pytest.raises(Http404):
        figures.read(user=persona(username), organizations=[org(name)], start=YEAR[0], end=YEAR[1])
    assert probe.asks == []


def test_one_organisation_out_of_reach_among_many_refuses_them_all(probe, tree):
    with pytest.raises(Http404):
        figures.read(user=persona("taihua_fed"), organizations=[tree["xiaoliu"], tree["taihua"], tree["pingluo"]],
                     start=YEAR[0], end=YEAR[1])
    assert probe.asks == []


def test_codes_limit_which_sources_are_asked_and_what_each_is_asked_for(probe, tree):
    other = Probe("probe2")
    figures.offer(other.source)
    try:
        got = figures.read(user=persona("taihua_fed"), organizations=[tree["taihua"]], start=YEAR[0], end=YEAR[1],
                           codes=["probe.pledges"])
    finally:
        figures.withdraw("probe2")
    assert got == {tree["taihua"].pk: {"probe.pledges": 0}}
    assert other.asks == []
    assert [a.codes for a in probe.asks] == [frozenset({"pledges"})]


def test_one_code_may_be_given_as_a_plain_string(probe, tree):
    got = figures.read(user=persona("taihua_fed"), organizations=[tree["taihua"]], start=YEAR[0], end=YEAR[1],
                       codes="probe.plans")
    assert got == {tree["taihua"].pk: {"probe.plans": 0}}


def test_all_codes_of_a_source_are_asked_as_none(probe, tree):
    got = figures.read(user=persona("taihua_fed"), organizations=[tree["taihua"]], start=YEAR[0], end=YEAR[1])
    assert {"probe.plans", "probe.pledges", "womenshome.trainings"} <= set(got[tree["taihua"].pk])
    assert probe.asks[0].codes is None


def test_a_tag_drops_the_codes_that_cannot_be_tagged_and_skips_sources_without_any(probe, tree):
    untaggable = Probe("probe2", taggable=frozenset())
    figures.offer(untaggable.source)
    probe.recorded[Line.STUDY] = {tree["xiaoliu"].pk: {"plans": 1}}
    probe.recorded[""] = {tree["xiaoliu"].pk: {"plans": 5}}
    try:
        got = figures.read(user=persona("taihua_fed"), organizations=[tree["taihua"]], start=YEAR[0], end=YEAR[1],
                           tag=Line.STUDY)
    finally:
        figures.withdraw("probe2")
    row = got[tree["taihua"].pk]
    assert row["probe.plans"] == 1
    assert "probe.pledges" not in row and not any(code.startswith("probe2.") for code in row)
    assert untaggable.asks == []
    assert probe.asks[0].tag == "study"


def test_an_unknown_tag_is_a_programming_error_not_zeros(probe, tree):
    with pytest.raises(ValueError, match="unknown tag"):
        figures.read(user=persona("taihua_fed"), organizations=[tree["taihua"]], start=YEAR[0], end=YEAR[1],
                     tag="studdy")


def test_no_organisations_ask_nothing(probe):
    assert figures.read(user=persona("taihua_fed"), organizations=[], start=YEAR[0], end=YEAR[1]) == {}
    assert probe.asks == []


def test_read_one_gives_labelled_rows_in_the_order_the_source_offers_them(probe, tree):
    probe.recorded[""] = {tree["xiaoliu"].pk: {"pledges": 3}}
    rows = figures.read_one(user=persona("xiaoliu_women"), organization=tree["xiaoliu"], start=YEAR[0], end=YEAR[1],
                            codes=["probe.pledges", "probe.plans"])
    assert rows == [figures.Figure("probe.plans", "方案", 0), figures.Figure("probe.pledges", "承诺", 3)]


def test_reading_twenty_organisations_costs_what_reading_one_does(probe, org):
    villages = list(Organization.objects.filter(kind=Organization.Kind.VILLAGE_FEDERATION,
                                                path__startswith=org("太华路街道妇联").path).order_by("path")[:20])
    assert len(villages) == 20
    probe.recorded[""] = {v.pk: {"plans": 1} for v in villages}
    user = persona("taihua_fed")

    def cost(organizations: list[Organization]) -> int:
        with CaptureQueriesContext(connection) as captured:
            figures.read(user=user, organizations=organizations, start=YEAR[0], end=YEAR[1], codes=["probe.plans"])
        return len(captured)

    assert cost(villages[:1]) == cost(villages)


# --- catalogue ----------------------------------------------------------------------------------

def test_the_catalogue_lists_qualified_codes_with_the_source_label(probe):
    catalogue = dict(figures.catalogue())
    assert catalogue["probe.plans"] == "测试来源：方案"
    assert catalogue["probe.pledges"] == "测试来源：承诺"
    taggable = dict(figures.catalogue(taggable_only=True))
    assert "probe.plans" in taggable and "probe.pledges" not in taggable


def test_labels_and_known_codes(probe):
    assert figures.label_of("probe.plans") == "方案"
    assert figures.label_of("probe.nothing") == "probe.nothing"
    assert figures.label_of("nowhere.plans") == "nowhere.plans"
    assert figures.known("probe.plans")
    assert not figures.known("probe.nothing") and not figures.known("plans") and not figures.known("")


def test_a_withdrawn_source_is_gone():
    made = Probe("probe3")
    figures.offer(made.source)
    assert figures.known("probe3.plans")
    figures.withdraw("probe3")
    assert not figures.known("probe3.plans")
    assert "probe3.plans" not in dict(figures.catalogue())


def test_offering_again_under_the_same_name_replaces_the_source(probe):
    again = Probe()
    figures.offer(again.source)
    assert [s for s in figures.sources() if s.name == "probe"] == [again.source]


def test_a_source_must_offer_what_it_says_it_can_tag_and_be_named_plainly():
    with pytest.raises(ValueError):
        figures.offer(Source("bad", "坏", {"plans": "方案"}, lambda ask: {}, taggable=frozenset({"pledges"})))
    with pytest.raises(ValueError):
        figures.offer(Source("bad.name", "坏", {"plans": "方案"}, lambda ask: {}))
    assert not figures.known("bad.plans")


def test_the_womens_home_offers_its_figures():
    for code in ("activities", "trainings", "people_trained", "person_times", "performances", "hours"):
        assert figures.known(f"womenshome.{code}")
    assert figures.label_of("womenshome.trainings") == "培训场次"
