"""Rendering a 公文 to PDF bytes with WeasyPrint (masthead, title lines, the verification QR code), fast
enough to issue while the number is locked.

WeasyPrint spends most of its time on fonts (loading, shaping, subsetting). What keeps a two-page
批复 near 0.3 s: TrueType-outline fonts in the stack (no CFF CJK collections), few font faces per
document, one ``FontConfiguration`` and one parsed stylesheet reused for every render of the process
(bench/pdf_render.py measures each choice).
"""

from __future__ import annotations

import base64
import io
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STYLESHEET = "pdf/gongwen.css"
TEMPLATE = "pdf/base_gongwen.html"

# 版心 width 156 mm in points; the masthead is condensed to fit inside it on one line.
TYPE_AREA_WIDTH_PT = 156 / 25.4 * 72
MASTHEAD_MAX_SIZE_PT = 42.0
MASTHEAD_MIN_SCALE = 0.6
MASTHEAD_FILL = 0.98  # leave a hair of the 版心 free so rounding never pushes it over the edge
# GB/T 9704-2012 7.2.2: the masthead's upper edge (its ink) 35 mm below the 版心's top edge.
MASTHEAD_TOP_MM = 35.0
# In a line box 1.2 em high, the ink of the free 小标宋 stand-in (AR PL SungtiL GB) starts this far below the
# box's top, in em (measured: 1.83 mm at 42 pt). The box is raised by as much, so the ink lands on 35 mm
# whatever size a long name condenses the masthead to; tests/documents/test_layout.py measures it.
MASTHEAD_INK_OFFSET_EM = 0.1235

_render_lock = threading.Lock()


@dataclass(frozen=True)
class Masthead:
    """发文机关标志: font size and horizontal scale so that ``text`` fills at most the 版心 width."""

    text: str
    font_size: float
    scale: float

    @property
    def width(self) -> float:
        return round(len(self.text) * self.font_size, 2)

    @property
    def margin_left(self) -> float:
        # Centre the unscaled box on the 版心; scaleX about its centre then shrinks it into place.
        return round((TYPE_AREA_WIDTH_PT - self.width) / 2, 2)

    @property
    def line_height(self) -> float:
        return round(self.font_size * 1.2, 2)

    @property
    def margin_top(self) -> float:
        """Points from the 版心 top to the masthead's line box, so that its ink starts 35 mm down."""
        return round(MASTHEAD_TOP_MM / 25.4 * 72 - MASTHEAD_INK_OFFSET_EM * self.font_size, 2)


def masthead_for(text: str) -> Masthead:
    """Large red characters, condensed (as printed 红头 are) rather than wrapped or shrunk to nothing."""
    available = TYPE_AREA_WIDTH_PT * MASTHEAD_FILL / max(len(text), 1)
    if available >= MASTHEAD_MAX_SIZE_PT:
        return Masthead(text, MASTHEAD_MAX_SIZE_PT, 1.0)
    if available >= MASTHEAD_MAX_SIZE_PT * MASTHEAD_MIN_SCALE:
        return Masthead(text, MASTHEAD_MAX_SIZE_PT, round(available / MASTHEAD_MAX_SIZE_PT, 4))
    return Masthead(text, round(available / MASTHEAD_MIN_SCALE, 2), MASTHEAD_MIN_SCALE)


# 2号 (22 pt) title over the 156 mm 版心: 20 full-width characters per line.
TITLE_CHARS_PER_LINE = 20
# Where a long title may break without splitting a term (GB/T 9704-2012 7.3.3: 回行时词意完整、排列对称).
_TITLE_BREAKS = (
    "可行性研究报告",
    "初步设计",
    "实施方案",
    "服务需求方案",
    "项目",
    # Each kind's own ending, so a title may break before it like before a document's name: 批复, 调整批复
    # (its title names the project without 《》, so the kind is its only term), 不予批复的函, opinions.
    "调整的批复",
    "的批复",
    "不予批复的函",
    "的审核意见",
    "的验收意见",
)


def title_lines(title: str) -> list[str]:
    """Split a long title at a term boundary into the most even lines that fit; else leave it whole."""
    if len(title) <= TITLE_CHARS_PER_LINE:
        return [title]
    best: tuple[int, int] | None = None
    for term in _TITLE_BREAKS:
        start = title.find(term, 1)
        while start > 0:
            first, second = start, len(title) - start
            if max(first, second) <= TITLE_CHARS_PER_LINE:
                score = abs(first - second)
                if best is None or score < best[0]:
                    best = (score, start)
            start = title.find(term, start + 1)
    if best is None:
        return [title]
    return [title[: best[1]], title[best[1] :]]


def qr_data_uri(url: str) -> str:
    """The verification URL as an SVG QR code (vector: sharp in print, a few kB)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# What WeasyPrint may load while rendering: the product's own static files (fonts, images, stylesheets)
# and data: images (the QR code). Nothing over the network, nothing else on disk: raw HTML given to the
# renderer fetched http://127.0.0.1:… and embedded file:///etc/hostname as an attachment on main.
ALLOWED_DATA_TYPES = ("image/",)
ALLOWED_FILE_SUFFIXES = frozenset(
    {".css", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".ttf", ".otf", ".woff", ".woff2"}
)


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        roots += [Path(storage.location) for storage in getattr(finder, "storages", {}).values()]
    return [root.resolve() for root in roots]


def allowed_url(url: str) -> bool:
    """May the renderer load ``url``? Only data: images and files inside the static directories."""
    scheme, _, rest = url.partition(":")
    scheme = scheme.lower()
    if scheme == "data":
        return rest.lower().startswith(ALLOWED_DATA_TYPES)
    if scheme != "file":
        return False
    parsed = urlsplit(url)
    if parsed.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(unquote(parsed.path))).resolve()
    if path.suffix.lower() not in ALLOWED_FILE_SUFFIXES:
        return False
    return any(path.is_relative_to(root) for root in _static_roots())


@lru_cache(maxsize=1)
def url_fetcher():
    """WeasyPrint's fetcher, refusing every URL ``allowed_url`` does not admit (WeasyPrint skips it)."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not allowed_url(url):
                raise ValueError(f"govinfo renders with its own files only; refused {url[:200]}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


@lru_cache(maxsize=1)
def _weasy():
    """One FontConfiguration and one parsed stylesheet for the life of the process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    path = finders.find(STYLESHEET)
    if path is None:
        raise RuntimeError(f"stylesheet {STYLESHEET} not found in the static files")
    return font_config, CSS(filename=path, font_config=font_config, url_fetcher=url_fetcher())


def render_html(context: dict) -> str:
    return render_to_string(TEMPLATE, context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    font_config, stylesheet = _weasy()
    # WeasyPrint's font configuration is not meant to be shared between threads at the same time.
    with _render_lock:
        return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=url_fetcher()).write_pdf(
            stylesheets=[stylesheet],
            font_config=font_config,
            presentational_hints=False,
            optimize_images=True,
        )


# Touches every font of the 公文 stacks (masthead and title in 小标宋, body in 仿宋, headings in 黑体 / 楷体).
WARM_UP_HTML = (
    '<!doctype html><html lang="zh-hans"><body>'
    '<div class="masthead xbs">四川省发展和改革委员会文件</div><p class="doc-number">川发改审〔2026〕1号</p>'
    '<h1 class="title xbs">关于预热的批复</h1><p class="addressee">省教育厅：</p>'
    '<div class="body"><p><span class="h">一、</span>同意。（一）项目建设。</p></div>'
    '<p class="signature">四川省发展和改革委员会</p><p class="date">2026年1月1日</p></body></html>'
)


def warm_up() -> float:
    """Render a tiny document once, so the first real 批复 of a process does not pay for loading
    WeasyPrint, the fonts and the stylesheet (1.1 s cold). Returns the seconds it took; gunicorn's
    ``post_worker_init`` hook calls it (gunicorn.conf.py)."""
    started = time.perf_counter()
    html_to_pdf(WARM_UP_HTML)
    return time.perf_counter() - started
