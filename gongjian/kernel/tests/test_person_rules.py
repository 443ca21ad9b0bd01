"""The rule book for a person (kernel.people): one set of checks for the staff form, the API,
QR sign-in and the roster importer; nothing unsupplied is cleared; no query per person."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongjian.kernel import people
from gongjian.kernel.identity import generate_id_number, validate_id_number
from gongjian.kernel.models import Person

pytestmark = pytest.mark.django_db

WOMAN_ID = "11010519491231002X"  # a woman born 1949-12-31


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


@pytest.fixture
def guojia(acting):
    return people.jurisdiction_of(acting("guojia_women"))


def test_gender_and_birth_date_are_read_from_the_id_number(guojia, org):
    cleaned = people.person_clean({"name": " 王 小红 ", "id_number": WOMAN_ID, "organization": org("郭家村妇联").pk},
                                  jurisdiction=guojia)
    assert cleaned["name"] == "王 小红"
    assert cleaned["gender"] == "F" and cleaned["birth_date"] == date(1949, 12, 31)
    assert cleaned["organization"].name == "郭家村妇联"


def test_a_gender_or_birth_date_against_the_id_number_is_refused_in_chinese(guojia, org):
    with pytest.raises(ValidationError) as exc:
        people.person_clean({"name": "王小红", "id_number": WOMAN_ID, "gender": "男", "birth_date": "1950-01-01",
                             "organization": org("郭家村妇联")}, jurisdiction=guojia)
    assert errors_of(exc) == {"gender": ["性别与身份证号码不一致。"], "birth_date": ["出生日期与身份证号码不一致。"]}


def test_sloppy_but_valid_numbers_are_normalised(guojia, org):
    cleaned = people.person_clean({"name": "王小红", "id_number": "１１０１０５ １９４９１２３１００２ｘ",
                                   "mobile": "+86 138-0013-8000", "organization": org("郭家村妇联")}, jurisdiction=guojia)
    assert cleaned["id_number"] == WOMAN_ID and cleaned["mobile"] == "13800138000"


def test_every_problem_of_a_new_person_is_listed_at_once(guojia):
    with pytest.raises(ValidationError) as exc:
        people.person_clean({"name": "  ", "id_number": "110105194912310021", "mobile": "12345",
                             "political_status": "无党派", "ethnicity": "x" * 21}, jurisdiction=guojia)
    errors = errors_of(exc)
    assert errors["name"] == ["请填写姓名。"]
    assert errors["id_number"] == ["身份证号码校验位错误"]
    assert errors["mobile"] == ["手机号码格式不正确"]
    assert errors["political_status"][0].startswith("政治面貌“无党派”无法识别")
    assert errors["ethnicity"] == ["民族填写有误。"]
    assert errors["organization"] == ["请选择您管辖范围内的组织。"]


def test_a_person_without_id_number_needs_a_gender(guojia, org):
    with pytest.raises(ValidationError) as exc:
        people.person_clean({"name": "王小红", "organization": org("郭家村妇联")}, jurisdiction=guojia)
    assert errors_of(exc) == {"gender": ["请选择性别，或填写身份证号码自动识别。"]}


def test_roster_spellings_of_status_gender_and_ethnicity_are_understood(guojia, org):
    cleaned = people.person_clean({"name": "马兰", "gender": "女", "ethnicity": "回", "political_status": "党员",
                                   "party_organization": "", "organization": org("郭家村妇联")}, jurisdiction=guojia)
    assert (cleaned["gender"], cleaned["ethnicity"], cleaned["political_status"]) == ("F", "回族", "member")


def test_only_party_members_have_a_party_organisation(acting, org):
    reach = people.jurisdiction_of(acting("taihua_party"))
    branch = org("中共郭家村支部委员会")
    with pytest.raises(ValidationError) as exc:
        people.person_clean({"name": "王小红", "gender": "F", "political_status": "masses",
                             "party_organization": branch.pk, "organization": branch.pk}, jurisdiction=reach)
    assert errors_of(exc) == {"party_organization": ["只有中共党员或预备党员才有党组织关系。"]}


def test_a_village_director_cannot_choose_another_village_or_its_branch(guojia, org):
    with pytest.raises(ValidationError) as exc:
        people.person_clean({"name": "王小红", "gender": "F", "organization": org("小留村妇联").pk,
                             "home_region": org("小留村妇联").region_id, "political_status": "member",
                             "party_organization": org("中共小留村支部委员会").pk}, jurisdiction=guojia)
    assert set(errors_of(exc)) == {"organization", "home_region", "party_organization"}


def test_what_is_not_supplied_is_neither_checked_nor_returned(acting):
    member = Person.objects.filter(organization__name="郭家村妇联", party_organization__isnull=False).first()
    reach = people.jurisdiction_of(acting("taihua_fed"))  # the federation line: no party organisation in reach
    assert people.person_clean({"name": "新名字"}, jurisdiction=reach, instance=member) == {"name": "新名字"}


def test_a_stored_value_outside_the_reach_may_stay_but_not_be_chosen(acting, org):
    member = Person.objects.filter(organization__name="郭家村妇联", party_organization__isnull=False).first()
    reach = people.jurisdiction_of(acting("taihua_fed"))
    kept = people.person_clean({"party_organization": member.party_organization_id,
                                "political_status": "member"}, jurisdiction=reach, instance=member)
    assert kept["party_organization"] == member.party_organization
    with pytest.raises(ValidationError):
        people.person_clean({"party_organization": org("中共小留村支部委员会").pk}, jurisdiction=reach, instance=member)


def test_demoting_a_party_member_is_refused_where_the_party_organisation_is_not_shown(acting):
    member = Person.objects.filter(organization__name="郭家村妇联", party_organization__isnull=False).first()
    with pytest.raises(ValidationError) as exc:
        people.person_clean({"political_status": "masses"}, jurisdiction=people.jurisdiction_of(acting("taihua_fed")),
                            instance=member)
    assert list(errors_of(exc)) == ["political_status"]


def test_a_village_name_places_the_person_in_that_village(acting, org):
    reach = people.jurisdiction_of(acting("taihua_fed"))
    cleaned = people.person_clean({"name": "王小红", "id_number": WOMAN_ID, "village": "小留",
                                   "organization": org("太华路街道妇联")}, jurisdiction=reach)
    assert cleaned["organization"].name == "小留村妇联" and cleaned["home_region"].name == "小留村"
    with pytest.raises(ValidationError) as exc:
        people.person_clean({"name": "王小红", "id_number": WOMAN_ID, "village": "灵沙村"}, jurisdiction=reach)
    assert errors_of(exc)["village"] == ["村/社区“灵沙村”不在太华路街道妇联的辖区内。"]


def test_checking_a_thousand_rows_runs_no_query(acting, django_assert_num_queries):
    reach = people.jurisdiction_of(acting("taihua_fed"))
    rng = random.Random(7)
    rows = [{"name": f"王{i}", "id_number": generate_id_number("610582", date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                                                              "F", i % 500),
             "gender": "女", "mobile": f"1380013{i:04d}", "ethnicity": "汉族", "political_status": "群众",
             "village": rng.choice(["小留村", "郭家村", "太华社区"])} for i in range(1000)]
    with django_assert_num_queries(0):
        cleaned = [people.person_clean(row, jurisdiction=reach, required=("id_number",)) for row in rows]
    assert all(c["organization"].name.endswith("妇联") for c in cleaned)


def test_a_good_row_is_checked_without_translating_a_single_message(acting, monkeypatch):
    """The importer checks 100,000 rows: a message is translated only for a row that is wrong
    (an eager gettext per row once doubled the check's time)."""
    from django.utils import translation

    reach = people.jurisdiction_of(acting("taihua_fed"))
    calls = []
    real = translation._trans.gettext  # what every gettext() call goes through
    monkeypatch.setattr(translation._trans, "gettext", lambda message: calls.append(message) or real(message))
    row = {"name": "王小红", "id_number": WOMAN_ID, "gender": "女", "mobile": "13800138000",
           "ethnicity": "汉族", "political_status": "群众", "village": "小留村"}
    with translation.override("zh-hans"):
        for _ in range(50):
            people.person_clean(row, jurisdiction=reach, required=("id_number",))
    assert calls == []


def test_the_fast_id_path_agrees_with_the_full_check():
    rng = random.Random(11)
    today = date(2026, 12, 1)
    for _ in range(2000):
        number = generate_id_number(rng.choice(["610582", "640221", "110105"]),
                                    date(rng.randint(1900, 2026), rng.randint(1, 12), rng.randint(1, 28)),
                                    rng.choice("FM"), rng.randint(0, 499))
        if rng.random() < 0.5:  # corrupt one character
            at = rng.randrange(18)
            number = number[:at] + rng.choice("0123456789X") + number[at + 1:]
        try:
            info = validate_id_number(number, today=today)
            expected = (info.birth_date, info.gender)
        except ValidationError:
            expected = None
        assert people.quick_id(number, today) in (expected, None)
        if expected is None:
            assert people.quick_id(number, today) is None


def test_sign_in_checks_only_the_facts_an_attendee_gives():
    assert people.person_clean({"name": "李 梅", "mobile": "138 0013 8000", "gender": "F"}, partial=True,
                               required=("name", "mobile", "gender")) == {
        "name": "李 梅", "mobile": "13800138000", "gender": "F"}
    with pytest.raises(ValidationError) as exc:
        people.person_clean({"name": "", "mobile": "", "gender": ""}, partial=True,
                            required=("name", "mobile", "gender"))
    assert set(errors_of(exc)) == {"name", "mobile", "gender"}


# --- where an ID number is registered --------------------------------------------------------

def test_a_number_registered_in_another_county_is_not_found_at_all(acting):
    pingluo = Person.objects.filter(organization__name="灵沙村妇联").first()
    reach = people.jurisdiction_of(acting("xiaoliu_women"))
    index = people.id_number_index(pingluo.id_number)
    assert people.registrations([index], registry="610582", jurisdiction=reach) == {}
    people.ensure_id_number_free(id_number=pingluo.id_number, organization=reach.top, jurisdiction=reach)


def test_a_number_registered_elsewhere_in_the_county_is_told_without_naming_anyone(acting):
    guojia = Person.objects.filter(organization__name="郭家村妇联").first()
    reach = people.jurisdiction_of(acting("xiaoliu_women"))
    found = people.registrations([people.id_number_index(guojia.id_number)], registry="610582", jurisdiction=reach)
    assert [(r.person_id, r.within_jurisdiction) for r in found.values()] == [(guojia.pk, False)]
    with pytest.raises(ValidationError) as exc:
        people.ensure_id_number_free(id_number=guojia.id_number, organization=reach.top, jurisdiction=reach)
    message = errors_of(exc)["id_number"][0]
    assert message.startswith("该身份证号码已在本县其他组织登记")
    assert guojia.name not in message and "郭家" not in message


def test_a_number_registered_within_jurisdiction_is_already_registered(acting):
    own = Person.objects.filter(organization__name="小留村妇联").first()
    reach = people.jurisdiction_of(acting("xiaoliu_women"))
    with pytest.raises(ValidationError) as exc:
        people.ensure_id_number_free(id_number=own.id_number, organization=reach.top, jurisdiction=reach)
    assert errors_of(exc) == {"id_number": ["该身份证号码已登记，请勿重复录入。"]}
    people.ensure_id_number_free(id_number=own.id_number, organization=reach.top, jurisdiction=reach, person_pk=own.pk)


def test_a_party_member_seen_through_her_branch_is_within_the_branch_reach(acting):
    member = Person.objects.filter(organization__name="小留村妇联", party_organization__isnull=False).first()
    reach = people.jurisdiction_of(acting("xiaoliu_branch"))
    index = people.id_number_index(member.id_number)
    assert people.registrations([index], registry="610582", jurisdiction=reach)[index].within_jurisdiction


def test_a_batch_of_indexes_is_looked_up_in_one_query_per_chunk(acting, monkeypatch,
                                                              django_assert_num_queries):
    reach = people.jurisdiction_of(acting("taihua_fed"))
    indexes = list(Person.objects.exclude(id_number_index="").values_list("id_number_index", flat=True)[:60])
    monkeypatch.setattr(people, "IN_CHUNK", 25)
    with django_assert_num_queries(3):
        found = people.registrations(indexes, registry="610582", jurisdiction=reach)
    assert found and set(found) <= set(indexes)


def test_a_bad_id_number_is_the_only_complaint_when_gender_was_left_to_it(guojia, org):
    with pytest.raises(ValidationError) as exc:
        people.person_clean({"name": "王小红", "id_number": "110105194912310021", "gender": "",
                             "organization": org("郭家村妇联")}, jurisdiction=guojia)
    assert errors_of(exc) == {"id_number": ["身份证号码校验位错误"]}


def test_an_odd_stored_gender_stays_when_the_page_sends_it_back_unchanged(acting):
    person = Person.objects.filter(organization__name="郭家村妇联", gender="F").exclude(id_number="").first()
    person.gender = "M"  # as an old record might hold it, against her number
    reach = people.jurisdiction_of(acting("guojia_women"))
    assert people.person_clean({"gender": "M", "birth_date": person.birth_date}, jurisdiction=reach, instance=person) == {
        "gender": "M", "birth_date": person.birth_date}
    with pytest.raises(ValidationError):
        people.person_clean({"gender": "M", "id_number": person.id_number}, jurisdiction=reach, instance=person)


def test_every_complaint_carries_a_code_for_the_api(guojia):
    with pytest.raises(ValidationError) as exc:
        people.person_clean({"name": "", "id_number": "110105194912310021", "mobile": "12345",
                             "political_status": "无党派"}, jurisdiction=guojia)
    codes = {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}
    assert codes == {"name": ["required"], "id_number": ["id_checksum"], "mobile": ["mobile"],
                     "political_status": ["invalid_choice"], "organization": ["required"]}
