"""LibreOffice opens every generated .docx and makes the PDF of the GB/T 9704-2012 page (issue 14):
A4, the pages, the text, the stand-in fonts, and the rendered page (pdftoppm) — red 版头 at the top,
page numbers, 22 lines of 28 characters, a long table's header on every page, the 版记 on the
版心's lower edge. Runs in CI (`.ci/run` installs libreoffice-writer-nogui and poppler-utils); on a
developer's machine without LibreOffice it is skipped, never in CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gongjian.kernel.documents import Content

from .. import layout
from ..layout import LayoutError, Letterhead
from . import layout_samples as samples

pytestmark = pytest.mark.skipif(
    (layout.soffice() is None or shutil.which("pdftoppm") is None) and not os.environ.get("CI"),
    reason="LibreOffice or poppler-utils is not installed here (CI installs both: .ci/run)")

DPI = 50
MM = DPI / 25.4  # pixels per millimetre


def _poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True,  # noqa: S603
                          timeout=60).stdout


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The PDFs the tests read, each converted once (a conversion takes a few seconds)."""
    folder = tmp_path_factory.mktemp("layout-pdf")
    documents: dict[str, tuple[Content, Letterhead]] = {
        "report": (samples.REPORT, samples.REPORT_HEAD),
        "plan": (samples.PLAN, samples.NAME_LIST_HEAD),
        "long": (samples.long_name_list(), Letterhead("太华路街道妇女联合会", "太妇发〔2026〕2号",
                                                        printed_on="2026-03-08")),
        "thirty": (samples.thirty_paragraphs(), Letterhead("太华路街道妇女联合会", draft=True,
                                                           draft_label="征求意见稿")),
    }
    paths = {}
    for name, (content, head) in documents.items():
        path = folder / f"{name}.pdf"
        path.write_bytes(layout.pdf(content, head))
        paths[name] = path
    return paths


def _info(path: Path) -> dict[str, str]:
    return dict(line.split(":", 1) for line in _poppler("pdfinfo", str(path)).splitlines() if ":" in line)


def _pages(path: Path) -> int:
    return int(_info(path)["Pages"].strip())


def _text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return _poppler("pdftotext", *pages, str(path), "-")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


class Picture:
    """A page rendered by pdftoppm (binary PPM: "P6 width height 255" then RGB bytes)."""

    def __init__(self, data: bytes) -> None:
        header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
        assert header, "pdftoppm did not make a PPM"
        self.width, self.height = int(header[1]), int(header[2])
        self.data = data[header.end():]

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        i = 3 * (y * self.width + x)
        return self.data[i], self.data[i + 1], self.data[i + 2]


def _page(path: Path, number: int) -> Picture:
    command = ["pdftoppm", "-r", str(DPI), "-f", str(number), "-l", str(number), str(path)]
    return Picture(subprocess.run(command, check=True, capture_output=True, timeout=60).stdout)  # noqa: S603


def _red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 180 and g < 110 and b < 110


def _dark(pixel: tuple[int, int, int]) -> bool:
    return sum(pixel) < 450


def _rows(image: Picture, test: Any, x0: float = 0, x1: float = 210) -> list[tuple[float, float, int]]:
    """Bands of rows (top mm, bottom mm, most matching pixels in a row) where `test` matches."""
    bands: list[tuple[float, float, int]] = []
    start, widest = None, 0
    for y in range(image.height):
        hits = [x for x in range(int(x0 * MM), min(int(x1 * MM), image.width)) if test(image.pixel(x, y))]
        if hits and start is None:
            start, widest = y, 0
        if hits:
            widest = max(widest, len(hits))
        if not hits and start is not None:
            bands.append((start / MM, y / MM, widest))
            start = None
    return bands


def test_libreoffice_makes_an_a4_pdf_with_the_title_number_and_signature(made: dict[str, Path]) -> None:
    info = _info(made["report"])
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert 3 <= _pages(made["report"]) <= 6
    text = _flat(_text(made["report"]))
    assert "安定乡妇女联合会文件" in text
    assert "安妇发〔2011〕3号" in text
    assert _flat(samples.REPORT.title) in text
    assert "安定乡妇女联合会2011年3月15日" in text  # 落款 over the 成文日期
    assert "抄送：乡党委办公室，外仓村党支部。" in text
    assert "2011年3月15日印发" in text


def test_every_kind_of_content_opens_in_libreoffice(made: dict[str, Path]) -> None:
    for name, path in made.items():
        assert path.read_bytes().startswith(b"%PDF"), name
        assert _pages(path) >= 1
    plan = _flat(_text(made["plan"]))
    assert "附件：中共太华路街道委员会党务公开工作领导小组成员名单" in plan
    assert "谢建龙" in plan and "姚永杰" in plan


def test_the_stand_in_fonts_are_embedded(made: dict[str, Path]) -> None:
    fonts = _poppler("pdffonts", str(made["plan"]))
    # Without the project's fontconfig file every name falls back to Noto Sans CJK and DejaVu Sans.
    assert re.search(r"NotoSerifCJK\w*-Bold", fonts)  # 方正小标宋简体's stand-in: the title and the red mark
    assert re.search(r"NotoSerifCJK\w*-Regular", fonts)  # 仿宋_GB2312's
    assert re.search(r"NotoSansCJK\w*-Regular", fonts)  # 黑体's
    assert "UKai" in fonts  # 楷体_GB2312's
    assert "DejaVu" not in fonts


def test_the_top_of_page_one_is_the_red_mark_and_the_red_line_across_the_type_area(made: dict[str, Path]) -> None:
    image = _page(made["report"], 1)
    red = _rows(image, _red)
    assert len(red) >= 2
    mark, line = red[0], red[-1]
    assert 68 <= mark[0] <= 76  # its top 35 mm below the 版心's (37 mm)
    assert line[1] - line[0] <= 2  # a line, not text
    assert line[2] >= 150 * MM  # as wide as the 版心 (156 mm)
    assert 100 < line[0] < 130
    assert not _rows(image, _red, 0, 26) and not _rows(image, _red, 186, 210)  # nothing red outside it


def test_a_thirty_paragraph_body_runs_onto_numbered_pages_odd_right_even_left(made: dict[str, Path]) -> None:
    path = made["thirty"]
    assert _pages(path) >= 2
    assert re.search(r"—\s*2\s*—", _text(path, 2))
    for number, (x0, x1) in ((1, (150, 186)), (2, (24, 60))):
        image = _page(path, number)
        foot = [band for band in _rows(image, _dark, x0, x1) if band[0] > 262]
        assert foot, number  # the page number, below the 版心, on the outside edge
        top, bottom = foot[0][0], foot[-1][1]
        assert bottom - top < 6, number  # one line
        assert 266 <= (top + bottom) / 2 <= 272  # its dashes about 7 mm below the 版心 (262 mm)
        other = (24, 60) if number == 1 else (150, 186)
        assert not [band for band in _rows(image, _dark, *other) if band[0] > 262]
    assert "征求意见稿" in _text(path, 2)  # the draft is marked on every page


def test_the_body_sets_28_characters_a_line_and_22_lines_a_page(made: dict[str, Path]) -> None:
    lines = [_flat(line) for line in _text(made["thirty"], 3).splitlines() if _flat(line)]
    body = [line for line in lines if not re.fullmatch(r"—\d+—|征求意见稿", line)]
    assert max(len(line) for line in body) == 28
    assert sum(len(line) == 28 for line in body) >= 5
    image = _page(made["thirty"], 3)
    text_lines = [band for band in _rows(image, _dark, 28, 184) if 37 <= band[0] < 262]
    assert 20 <= len(text_lines) <= 22
    pitches = [b[0] - a[0] for a, b in zip(text_lines, text_lines[1:], strict=False)]
    assert min(pitches) == pytest.approx(10.21, abs=0.6)  # 28.95 pt


def test_a_long_name_list_repeats_its_header_on_every_page_and_keeps_within_the_type_area(
        made: dict[str, Path]) -> None:
    path = made["long"]
    pages = _pages(path)
    assert pages >= 3
    for number in range(1, pages + 1):
        text = _flat(_text(path, number))
        assert "序号村（社区）姓名职务联系电话" in text, number
        image = _page(path, number)
        assert not _rows(image, _dark, 0, 27), number
        assert not _rows(image, _dark, 185, 210), number
    everything = _flat(_text(path))
    assert all(f"1380913{i:04d}" in everything for i in range(60))


def test_the_record_lies_on_the_lower_edge_of_the_type_area_of_the_last_page(made: dict[str, Path]) -> None:
    for name in ("report", "long"):
        path = made[name]
        image = _page(path, _pages(path))
        lines = [band for band in _rows(image, _dark, 28, 184) if band[2] >= 150 * MM]
        assert lines, name
        assert lines[-1][1] == pytest.approx(262, abs=1.5), name  # 37 + 225 mm
        assert "印发" in _text(path, _pages(path))
        assert "印发" not in _text(path, 1)


def test_a_broken_file_is_a_clear_layout_error() -> None:
    with pytest.raises(LayoutError) as caught:
        layout.pdf_from_docx(b"PK\x03\x04 not really a document")
    assert caught.value.reason == "failed"
    assert "PDF" in str(caught.value) and "Word" in str(caught.value)


def test_a_conversion_that_takes_too_long_is_stopped(tmp_path: Path) -> None:
    data = layout.docx(samples.REPORT, samples.REPORT_HEAD)
    started = time.monotonic()
    with pytest.raises(LayoutError) as caught:
        layout.pdf_from_docx(data, timeout=0.2)
    assert caught.value.reason == "timeout"
    assert "超时" in str(caught.value)
    assert time.monotonic() - started < 10
    # the slot is free again
    with layout.conversion_slot(wait=0):
        pass


def test_without_libreoffice_the_pdf_is_refused_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "soffice", lambda: None)
    with pytest.raises(LayoutError) as caught:
        layout.pdf(samples.REPORT, samples.REPORT_HEAD)
    assert caught.value.reason == "missing"
    assert "LibreOffice" in str(caught.value) and "请下载" in str(caught.value)


@pytest.fixture
def one_slot(settings: Any, tmp_path: Path) -> Iterator[None]:
    """One conversion slot, in a folder of this test's own: the suite's other process (pytest-xdist)
    converts PDFs under the shared VAR_DIR and would hold the slot."""
    settings.GONGJIAN_PDF_CONVERSIONS = 1
    settings.VAR_DIR = tmp_path
    yield


def test_conversions_wait_for_a_free_slot_and_give_up_with_a_busy_error(one_slot: None) -> None:
    with layout.conversion_slot(wait=0):
        started = time.monotonic()
        with pytest.raises(LayoutError) as caught, layout.conversion_slot(wait=0.5):
            pass
        assert caught.value.reason == "busy"
        assert time.monotonic() - started >= 0.5
        assert "稍后再试" in str(caught.value)
    with layout.conversion_slot(wait=0) as slot:  # released: free again
        assert slot == 0


def test_a_slot_is_shared_by_every_process_of_the_server(one_slot: None, settings: Any) -> None:
    """Another process holding the only slot (a web worker converting) makes this one wait."""
    lock = Path(settings.VAR_DIR) / "pdf-slots" / "slot-0.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", (  # noqa: S603
        "import fcntl,sys,time; f=open(sys.argv[1],'a+'); fcntl.flock(f, fcntl.LOCK_EX); "
        "print('held', flush=True); time.sleep(1.5)"), str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LayoutError), layout.conversion_slot(wait=0.3):
            pass
        started = time.monotonic()
        with layout.conversion_slot(wait=10):  # freed when the other process ends
            assert time.monotonic() - started > 0.3
    finally:
        holder.kill()
        holder.wait()


def test_a_first_conversion_leaves_a_profile_the_next_ones_start_from(made: dict[str, Path], settings: Any) -> None:
    binary = layout.soffice()
    assert binary is not None
    template = layout._profile_template(binary)
    assert template.is_dir() and (template / "user").is_dir()
    assert template.parent == Path(settings.VAR_DIR) / "pdf-profile"
    before = {p.name for p in template.parent.iterdir()}
    data = layout.pdf_from_docx(layout.docx(samples.NAME_LIST, samples.NAME_LIST_HEAD))
    assert data.startswith(b"%PDF")
    assert {p.name for p in template.parent.iterdir()} == before  # kept once, no staging left behind


def test_an_upward_documents_red_line_still_spans_the_type_area(tmp_path: Path) -> None:
    path = tmp_path / "up.pdf"
    path.write_bytes(layout.pdf(samples.REPORT, Letterhead("安定乡妇女联合会", "安妇报〔2011〕3号", signer="王秀英")))
    line = _rows(_page(path, 1), _red)[-1]
    assert line[1] - line[0] <= 2 and line[2] >= 150 * MM
    assert "签发人：王秀英" in _flat(_text(path, 1))


def test_an_installed_real_font_wins_over_its_stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An office machine with 仿宋_GB2312 installed gets it, not Noto: a font named 仿宋_GB2312 (DejaVu
    Serif renamed, so only its Latin glyphs: the digits of the date) in a fonts folder fontconfig reads."""
    from fontTools.ttLib import TTFont

    source = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    assert source.exists(), "fonts-dejavu-core (a dependency of fontconfig) is expected"
    font = TTFont(str(source))
    names = font["name"]
    names.names = [record for record in names.names if record.platformID == 3]
    for number, value in ((1, "仿宋_GB2312"), (4, "仿宋_GB2312"), (16, "仿宋_GB2312"), (6, "FangSongGB2312Test")):
        names.removeNames(nameID=number)
        names.setName(value, number, 3, 1, 0x409)
    (tmp_path / "fonts").mkdir()
    font.save(str(tmp_path / "fonts" / "fangsong.ttf"))
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{tmp_path / "fonts"}</dir>'
                    f"<cachedir>{tmp_path / 'cache'}</cachedir>"
                    f"<include>{layout.FONTS_CONF}</include></fontconfig>\n", encoding="utf-8")
    monkeypatch.setattr(layout, "FONTS_CONF", conf)
    path = tmp_path / "real.pdf"
    path.write_bytes(layout.pdf(samples.NAME_LIST, samples.NAME_LIST_HEAD))
    fonts = _poppler("pdffonts", str(path))
    assert "FangSongGB2312Test" in fonts  # the installed 仿宋_GB2312 set the date's digits
    assert re.search(r"NotoSerifCJK\w*-Bold", fonts)  # 小标宋 is not installed: its stand-in
