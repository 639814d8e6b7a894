"""The 公文 layout measured on the rendered page against GB/T 9704-2012, within 1 mm.

Positions come from the PDF itself: character boxes, baselines and rules with pdfplumber, and ink (what a ruler
on the printed sheet would measure) from the page rendered by poppler's pdftoppm at 300 dpi.

What each distance means here (the standard's words, then how it is measured):
- 版心 (5.2.1): 156 × 225 mm, 37 mm from the top; 28 mm from the left on odd pages, 26 mm on even pages (订口
  28 mm, printed on both sides). One 字 is a cell of the 28-character grid, 156 / 28 mm.
- 发文机关标志 (7.2.2) "上边缘至版心上边缘为35mm": the topmost red ink of the masthead, 35 mm below the
  版心's top edge.
- 红色分隔线 (7.2.4) "发文字号之下4mm处": from the lowest ink of the 发文字号 line to the centre line of the red
  rule (a rule is placed by its centre; it is 1.2 pt ≈ 0.4 mm thick, so its edges are 0.2 mm either side).
- 署名 (7.3.5.2, no seal) "在正文下空一行右空二字": the 署名's baseline two line pitches (28.95 pt each, 22 lines
  in 225 mm) below the last body line's, and its last character's box ends two 字 before the 版心's right edge.
- 成文日期 "首字比发文机关署名首字右移二字": baseline one pitch below the 署名's, first character's box two 字
  right of the 署名's first; when the date is the longer line it ends two 字 in and the 署名 moves left with it.
- 附注 (7.3.6) "居左空二字加圆括号编排在成文日期下一行": baseline one pitch below the date's, its opening
  parenthesis two 字 from the 版心's left edge, closed by "）".
- 页码 (7.5) "一字线上距版心下边缘7mm": the top of the dash's ink 7 mm below the 版心's bottom edge; odd pages
  right, even pages left.
- 版记 (8): its last rule on the 版心's bottom edge.
"""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from functools import cached_property

import pdfplumber
import pytest
from PIL import Image, ImageChops

from govinfo.documents.issue import body_blocks, render_document
from govinfo.formats import official_date
from govinfo.orgs.models import Agency

from . import samples

pytestmark = pytest.mark.documents

PT = 25.4 / 72  # mm per point
DPI = 300
TOLERANCE = 1.0  # mm

TYPE_TOP = 37.0
TYPE_BOTTOM = 37.0 + 225.0
TYPE_WIDTH = 156.0
CHAR = TYPE_WIDTH / 28  # one 字 of the grid, mm
LINE = 28.95 * PT  # line pitch, mm
# Characters the GB2312 fonts lack: Extension B, A, B beyond BabelStone Han, A beyond BabelStone Han.
RARE = "𠮷䶮𪚥𠀣㔰"
FALLBACK_FONTS = ("BabelStone-Han", "HanaMinA", "HanaMinB")


def _agency() -> Agency:
    # An unsaved row: rendering needs the name and prefix only.
    return Agency(
        code="ndrc", name="四川省发展和改革委员会", short_name="省发展改革委", doc_prefix="川发改审"
    )


def _render(**overrides) -> bytes:
    issuer = _agency()
    arguments = {
        "doc_number": "川发改审〔2026〕12号",
        "token": "layout-test-token-0123456789abcdef",
        "kind": "approval",
        "agency": issuer,
        "title": samples.TITLE,
        "addressee": "四川省教育厅",
        "body": body_blocks(samples.BODY),
        "project_code": samples.PROJECT_CODE,
        "project_name": samples.PROJECT_NAME,
        "cc": ["省财政厅", "省委网信办", "省大数据中心", "省审计厅"],
        "signer_agency_name": issuer.name,
        "date": samples.DATE,
    }
    arguments.update(overrides)
    return render_document(**arguments).pdf_bytes


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    chars: list


class Page:
    """One rendered page: text lines and rules in mm from the top-left corner, and its ink."""

    def __init__(self, pdf_bytes: bytes, page: pdfplumber.page.Page, number: int):
        self.pdf_bytes = pdf_bytes
        self.number = number
        self.height = float(page.height)
        self.lines = [
            Line(
                text=line["text"],
                x0=line["x0"] * PT,
                x1=line["x1"] * PT,
                top=line["top"] * PT,
                bottom=line["bottom"] * PT,
                baseline=(self.height - line["chars"][0]["matrix"][5]) * PT,
                chars=line["chars"],
            )
            for line in page.extract_text_lines(return_chars=True)
        ]
        self.rects = [
            {
                "x0": r["x0"] * PT,
                "x1": r["x1"] * PT,
                "top": r["top"] * PT,
                "bottom": r["bottom"] * PT,
                "color": tuple(r.get("non_stroking_color") or ()),
            }
            for r in page.rects
        ]
        self.chars = page.chars

    @property
    def odd(self) -> bool:
        return self.number % 2 == 1

    @property
    def type_left(self) -> float:
        return 28.0 if self.odd else 26.0

    @property
    def type_right(self) -> float:
        return self.type_left + TYPE_WIDTH

    def line(self, starts_with: str) -> Line:
        found = [line for line in self.lines if line.text.startswith(starts_with)]
        assert found, (
            f"no line starting {starts_with!r} on page {self.number}: {[li.text for li in self.lines]}"
        )
        return found[0]

    @cached_property
    def image(self) -> Image.Image:
        png = subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-f", str(self.number), "-l", str(self.number), "-png", "-"],
            input=self.pdf_bytes,
            capture_output=True,
            check=True,
        ).stdout
        return Image.open(io.BytesIO(png)).convert("RGB")

    def _box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[int, int, int, int]:
        scale = DPI / 25.4
        return (round(x0 * scale), round(top * scale), round(x1 * scale), round(bottom * scale))

    def _mask(self, region, kind: str) -> Image.Image:
        crop = self.image.crop(self._box(*region))
        if kind == "dark":
            return crop.convert("L").point(lambda v: 255 if v < 128 else 0, "1")
        red, green, blue = crop.split()
        mask = ImageChops.logical_and(
            red.point(lambda v: 255 if v > 150 else 0, "1"), green.point(lambda v: 255 if v < 110 else 0, "1")
        )
        return ImageChops.logical_and(mask, blue.point(lambda v: 255 if v < 110 else 0, "1"))

    def ink(
        self, region: tuple[float, float, float, float], kind: str = "dark"
    ) -> tuple[float, float] | None:
        """Top and bottom (mm) of the ink of ``kind`` ("dark" or "red") inside ``region`` (x0, top, x1, bottom)."""
        bbox = self._mask(region, kind).getbbox()
        if bbox is None:
            return None
        return region[1] + bbox[1] * 25.4 / DPI, region[1] + bbox[3] * 25.4 / DPI

    def inked_fraction(self, region: tuple[float, float, float, float]) -> float:
        mask = self._mask(region, "dark")
        return mask.histogram()[-1] / (mask.width * mask.height)


def _pages(pdf_bytes: bytes) -> list[Page]:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [Page(pdf_bytes, page, number) for number, page in enumerate(pdf.pages, start=1)]


@pytest.fixture(scope="module")
def approval() -> list[Page]:
    """The two-page sample 批复, rendered by WeasyPrint (not the test stub)."""
    return _pages(_render())


@pytest.fixture(scope="module")
def closing(approval):
    """The 署名, date and 附注 lines and the last body line, on the document's last page."""
    page = approval[-1]
    signer = page.line("四川省发展和改革委员会")
    index = page.lines.index(signer)
    return page, page.lines[index - 1], signer, page.line(official_date(samples.DATE)), page.line("（本文件")


def test_the_renderer_is_real_and_the_sample_fills_two_pages(approval):
    assert len(approval) == 2
    assert any(line.text.startswith("四川省发展和改革委员会文件") for line in approval[0].lines)


def test_the_masthead_ink_starts_35_mm_below_the_type_area(approval):
    page = approval[0]
    rule = _red_rule(page)
    top, _ = page.ink((page.type_left, TYPE_TOP, page.type_right, rule["top"] - 1), "red")
    assert top - TYPE_TOP == pytest.approx(35.0, abs=TOLERANCE)


def _red_rule(page: Page) -> dict:
    rules = [r for r in page.rects if r["color"][:1] and r["color"][0] > 0.8 and r["x1"] - r["x0"] > 100]
    assert len(rules) == 1, rules
    return rules[0]


def test_the_red_rule_is_4_mm_below_the_document_number_and_as_wide_as_the_type_area(approval):
    page = approval[0]
    rule = _red_rule(page)
    number = page.line("川发改审〔2026〕12号")
    _, ink_bottom = page.ink((page.type_left, number.top - 2, page.type_right, rule["top"] - 0.1))
    centre = (rule["top"] + rule["bottom"]) / 2
    assert centre - ink_bottom == pytest.approx(4.0, abs=TOLERANCE)
    assert rule["x0"] == pytest.approx(page.type_left, abs=0.2)
    assert rule["x1"] - rule["x0"] == pytest.approx(TYPE_WIDTH, abs=0.2)


def test_the_page_number_dash_is_7_mm_below_the_type_area_odd_right_even_left(approval):
    for page in approval:
        number = page.line("—")
        assert number.text.replace(" ", "") == f"—{page.number}—"
        if page.odd:
            assert number.x1 > page.type_right - 2 * CHAR, "odd pages number on the right"
        else:
            assert number.x0 < page.type_left + 2 * CHAR, "even pages number on the left"
        dash = number.chars[0]
        top, _ = page.ink((dash["x0"] * PT, TYPE_BOTTOM, dash["x1"] * PT, TYPE_BOTTOM + 20))
        assert top - TYPE_BOTTOM == pytest.approx(7.0, abs=TOLERANCE), f"page {page.number}"


def test_7_3_5_2_the_signer_is_one_blank_line_below_the_body_and_two_characters_in_from_the_right(closing):
    page, last_body_line, signer, _, _ = closing
    assert signer.baseline - last_body_line.baseline == pytest.approx(2 * LINE, abs=TOLERANCE)
    assert page.type_right - signer.x1 == pytest.approx(2 * CHAR, abs=TOLERANCE)


def test_7_3_5_2_the_dates_first_character_is_two_characters_right_of_the_signers(closing):
    _, _, signer, date, _ = closing
    assert date.baseline - signer.baseline == pytest.approx(LINE, abs=TOLERANCE)
    assert date.x0 - signer.x0 == pytest.approx(2 * CHAR, abs=TOLERANCE)
    assert date.x1 < signer.x1  # the 署名 is the longer line here


def test_7_3_5_2_a_date_longer_than_the_signer_stays_two_characters_in_and_the_signer_moves_left():
    page = _pages(_render(signer_agency_name="省财政厅"))[-1]
    signer = page.line("省财政厅")
    date = page.line(official_date(samples.DATE))
    assert page.type_right - date.x1 == pytest.approx(2 * CHAR, abs=TOLERANCE)
    assert date.x0 - signer.x0 == pytest.approx(2 * CHAR, abs=TOLERANCE)
    assert page.type_right - signer.x1 > 2 * CHAR + TOLERANCE


def test_7_3_6_the_note_with_the_verification_link_and_fingerprint_is_on_the_line_below_the_date(closing):
    page, _, _, date, note = closing
    assert note.baseline - date.baseline == pytest.approx(LINE, abs=TOLERANCE)
    assert note.x0 - page.type_left == pytest.approx(2 * CHAR, abs=TOLERANCE)
    below = [line for line in page.lines if line.top >= note.top and not line.text.startswith("—")]
    text = "".join(line.text for line in below).replace(" ", "")
    opening, closing_paren = text.index("（本文件"), text.index("）抄送")
    note_text = text[opening : closing_paren + 1]
    assert "/verify/layout-test-token-0123456789abcdef/" in note_text
    assert "内容指纹" in note_text


def test_the_qr_code_sits_in_the_note_inside_the_type_area_above_the_back_matter(closing):
    page, _, _, date, note = closing
    modules = [r for r in page.rects if r["x1"] - r["x0"] < 2 and r["color"][:1] == (0,)]
    assert modules, "the QR code is drawn as dark modules"
    left, right = min(r["x0"] for r in modules), max(r["x1"] for r in modules)
    top, bottom = min(r["top"] for r in modules), max(r["bottom"] for r in modules)
    assert right - left == pytest.approx(20.0, abs=1.5) and bottom - top == pytest.approx(20.0, abs=1.5)
    assert page.type_left < left and right <= page.type_right + 0.1
    assert top > date.bottom  # never between the body and the 署名/date
    record_top = min(r["top"] for r in page.rects if r["x1"] - r["x0"] > 100)
    assert bottom < record_top


def test_the_back_matters_last_rule_lies_on_the_type_areas_bottom_edge(approval):
    page = approval[-1]
    record = [r for r in page.rects if r["x1"] - r["x0"] > 100]
    assert max(r["bottom"] for r in record) == pytest.approx(TYPE_BOTTOM, abs=TOLERANCE)


@pytest.fixture(scope="module")
def rare_name() -> list[Page]:
    return _pages(_render(addressee=f"四川省教育厅（联系人：{RARE}）"))


def test_rare_cjk_extension_characters_are_drawn_with_a_real_glyph(rare_name):
    page = rare_name[0]
    drawn = {char["text"]: char for char in page.chars if char["text"] in RARE}
    assert set(drawn) == set(RARE), "every rare character is in the PDF's text"
    for text, char in drawn.items():
        # Drawn by a fallback font that has the character (a font without it would draw .notdef: blank or tofu).
        assert any(name in char["fontname"] for name in FALLBACK_FONTS), (text, char["fontname"])
        box = (char["x0"] * PT, char["top"] * PT, char["x1"] * PT, char["bottom"] * PT)
        assert page.inked_fraction(box) > 0.05, f"{text} U+{ord(text):X} prints blank"


def test_the_fallback_fonts_are_embedded_only_when_a_character_needs_them(approval, rare_name, tmp_path):
    def fonts(pages):
        return {char["fontname"].split("+")[-1] for page in pages for char in page.chars}

    assert not fonts(approval) & set(FALLBACK_FONTS)
    assert fonts(rare_name) & set(FALLBACK_FONTS)
    path = tmp_path / "rare.pdf"
    path.write_bytes(rare_name[0].pdf_bytes)
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "BabelStone-Han" in output and "HanaMinA" in output and "HanaMinB" in output


# -- 7.3.3 标题: a long title breaks between terms, and every kind's ending is one ------------------------

REJECTION_TITLE = "关于四川省全民健康信息平台建设运维经费不予批复的函"


@pytest.mark.parametrize(
    ("kind", "title", "lines"),
    [
        ("rejection", REJECTION_TITLE, ["关于四川省全民健康信息平台建设运维经费", "不予批复的函"]),
        (
            "rejection",
            "关于《四川省医疗机构电子证照应用实施方案》不予批复的函",
            ["关于《四川省医疗机构电子证照应用", "实施方案》不予批复的函"],
        ),
        (
            "change_approval",
            "关于四川省全民健康信息平台（二期）调整的批复",
            ["关于四川省全民健康信息平台（二期）", "调整的批复"],
        ),
    ],
)
def test_7_3_3_the_title_of_every_kind_breaks_between_terms_on_the_page(kind, title, lines):
    (first, *_rest) = _pages(_render(kind=kind, title=title))
    printed = [line.text for line in first.lines]
    start = next(i for i, text in enumerate(printed) if text.startswith("关于"))
    assert printed[start : start + len(lines)] == lines
