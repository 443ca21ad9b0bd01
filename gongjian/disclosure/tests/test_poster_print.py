"""The A3 poster for the physical 公开栏 (issue 13): it fills its A3 page, and an item (its title,
date and text) is never split between two columns or two pages."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from types import SimpleNamespace

from gongjian.disclosure import poster

TEXT = "按照党务公开工作要求，现将本季度党费收缴、党员发展和重点工作推进情况公开如下，欢迎党员群众监督并提出意见建议。"


def _item(n: int) -> SimpleNamespace:
    version = SimpleNamespace(title=f"第{n}项公开内容：党务工作情况通报", number=1 + n % 2, body=f"<p>{TEXT * 3}</p>")
    return SimpleNamespace(current_version=version, published_at=datetime(2026, 11, 1, 9),
                           get_timing_display=lambda: "定期公开")


def _document(items_per_section: int) -> object:
    sections = [{"label": label, "items": [_item(s * 10 + i) for i in range(items_per_section)]}
                for s, label in enumerate(["党的建设", "中心工作", "民生项目", "干部队伍", "其他事项", "政策法规"])]
    org = SimpleNamespace(name="中共小留村支部委员会")
    return poster.poster_document(organization=org, sections=sections, url="http://127.0.0.1/disclosure/org/1/")


def _fragments(document) -> Counter:
    """How many boxes each item element was laid out in, over every page and column."""
    seen: Counter = Counter()
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if (element is not None and box.element_tag == "div" and "item" in (element.get("class") or "").split()
                    and not type(box).__name__.startswith("Anonymous")):
                seen[id(element)] += 1
    return seen


def test_no_item_is_split_between_columns_or_pages():
    document = _document(items_per_section=6)
    assert len(document.pages) >= 2  # enough text to need breaks
    fragments = _fragments(document)
    assert len(fragments) == 36
    assert max(fragments.values()) == 1, "an item was split"


def test_the_poster_fills_its_a3_page_before_going_on_to_the_next():
    document = _document(items_per_section=3)
    first = document.pages[0]
    assert (round(first.width * 25.4 / 96), round(first.height * 25.4 / 96)) == (297, 420)
    assert len(document.pages) >= 2
    # Both columns of the first sheet run down to its foot: a category that does not fit goes on
    # in the next column instead of leaving the rest of the A3 sheet empty.
    bottoms: dict[bool, float] = {}
    for box in first._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and box.element_tag == "div" and "item" in (element.get("class") or "").split():
            right = box.position_x > first.width / 2
            bottoms[right] = max(bottoms.get(right, 0), box.position_y + box.height)
    assert set(bottoms) == {False, True}
    assert min(bottoms.values()) > 0.75 * first.height, bottoms
