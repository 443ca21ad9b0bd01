"""Finding a village's board among the forty: by a few characters of its name, its pinyin or its
pinyin initials ("xlc" finds 小留村), as a plain GET (no JavaScript needed)."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjian.disclosure import selectors
from gongjian.kernel.pinyin import name_matches, spellings

pytestmark = pytest.mark.django_db


def board_names(html: str) -> list[str]:
    import re

    return re.findall(r'href="/disclosure/org/\d+/">([^<]+)', html)


def test_the_initials_and_the_pinyin_of_a_name():
    assert spellings("小留村党支部") == ("xiaoliucundangzhibu", "xlcdzb")
    assert name_matches("小留村党支部", "xlc") and name_matches("小留村党支部", " XiaoLiu ")
    assert name_matches("小留村党支部", "留村") and not name_matches("郭家村党支部", "xlc")


def test_typing_the_initials_finds_the_village_board():
    page = Client().get("/disclosure/", {"q": "xlc"}).content.decode()
    names = board_names(page)
    # 兴乐村 and 西联村 have the same initials: a handful to choose from instead of forty.
    assert any("小留村" in n for n in names) and all("xlc" in spellings(n)[1] for n in names)
    assert len(names) < selectors.public_organizations().count() / 4
    assert "找到" in page and "显示全部" in page


def test_part_of_the_name_finds_it_too_and_nothing_else():
    names = board_names(Client().get("/disclosure/", {"q": "郭家"}).content.decode())
    assert names and all("郭家" in n for n in names)


def test_without_a_query_every_public_board_is_listed():
    page = Client().get("/disclosure/").content.decode()
    assert len(board_names(page)) == selectors.public_organizations().count() > 20


def test_a_name_nobody_has_says_so_in_chinese():
    response = Client().get("/disclosure/", {"q": "zzzq"})
    assert response.status_code == 200
    assert "没有名称与“zzzq”相符的公开栏" in response.content.decode()


def test_what_is_typed_is_shown_back_escaped():
    page = Client().get("/disclosure/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
