"""PDF speed: a two-page 批复 with Chinese text, rendered N times (ARCHITECTURE §PDF, issue 5 item 8).

    .venv/bin/python bench/pdf_render.py [-n 15]

Prints median / min / max seconds for
  (a) the project's set-up: govinfo.documents.rendering (TrueType ARPHIC + WenQuanYi stack, one FontConfiguration and
      one parsed stylesheet reused across renders) — the target is a median of 0.3 s or less;
  (b) the naive set-up: the same document with Debian's fonts-noto-cjk (Noto Serif/Sans CJK SC, CFF
      outlines) and a fresh FontConfiguration and stylesheet per render — "not installed" when absent;
and (c) the same document with rare characters in names (𠮷 U+20BB7, 䶮 U+4DAE, 𪚥 U+2A6A5, 𠀣 U+20023, 㔰 U+3530),
drawn from the fallback chain at the end of every font stack (BabelStone Han, HanaMinA, HanaMinB: large TrueType
fonts, subset only when a character needs them);
and, to show where the time goes, the project's fonts without the caching, and some WeasyPrint options.
Uses no database: the document is rendered, not issued (issuing adds a few milliseconds of SQL).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()
# fontTools complains about the ARPHIC fonts' padded glyf tables on every subset; harmless here.
logging.getLogger("fontTools").setLevel(logging.ERROR)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.pdf import fonts as weasy_fonts  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from govinfo.documents import rendering as pdf  # noqa: E402
from govinfo.documents.issue import body_blocks, render_document  # noqa: E402
from govinfo.formats import official_date  # noqa: E402
from govinfo.orgs.models import Agency  # noqa: E402
from tests.documents import samples  # noqa: E402

NOTO_CSS = """
html, .kai, .body .h2 .h { font-family: "Noto Serif CJK SC"; }
.xbs { font-family: "Noto Serif CJK SC"; font-weight: bold; }
.body .h1 .h, .hei { font-family: "Noto Sans CJK SC"; }
"""


def agency() -> Agency:
    # An unsaved row: rendering needs the name and prefix only.
    return Agency(
        code="ndrc", name="四川省发展和改革委员会", short_name="省发展改革委", doc_prefix="川发改审"
    )


# Characters the ARPHIC/WenQuanYi fonts lack: Extension B (BabelStone Han), Extension A, B beyond BabelStone (HanaMin).
RARE_NAMES = "𠮷䶮𪚥𠀣㔰"


def render_arguments(number: int, *, rare: bool = False) -> dict:
    issuer = agency()
    return {
        "doc_number": f"川发改审〔2026〕{number}号",
        "token": f"bench-token-{number:06d}",
        "kind": "approval",
        "agency": issuer,
        "title": samples.TITLE,
        "addressee": f"四川省教育厅（联系人：{RARE_NAMES}）" if rare else "四川省教育厅",
        "body": body_blocks(samples.BODY),
        "project_code": samples.PROJECT_CODE,
        "project_name": samples.PROJECT_NAME,
        "cc": ["省财政厅", "省委网信办", "省大数据中心", "省审计厅"],
        "signer_agency_name": issuer.name,
        "date": samples.DATE,
    }


def sample_html(number: int) -> str:
    arguments = render_arguments(number)
    captured = {}
    original = pdf.html_to_pdf
    pdf.html_to_pdf = lambda html: captured.setdefault("html", html) and b""
    try:
        render_document(**arguments)
    finally:
        pdf.html_to_pdf = original
    return captured["html"]


def timed(label: str, runs: int, render) -> list[float]:
    render(0)  # warm-up: imports, first font look-up
    seconds = []
    pages = None
    for i in range(runs):
        start = time.perf_counter()
        output = render(i + 1)
        seconds.append(time.perf_counter() - start)
        pages = pages or _page_count(output)
    print(
        f"{label:<58} median {statistics.median(seconds):6.3f} s   min {min(seconds):6.3f} s   "
        f"max {max(seconds):6.3f} s   ({pages} pages, {len(output) // 1024} KiB)"
    )
    return seconds


def _page_count(output: bytes) -> str:
    try:
        info = subprocess.run(["pdfinfo", "-"], input=output, capture_output=True, check=True).stdout.decode()
    except (FileNotFoundError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def naive(html: str, extra_css: str = "", **options) -> bytes:
    font_config = FontConfiguration()
    stylesheets = [CSS(filename=str(ROOT / "static" / pdf.STYLESHEET), font_config=font_config)]
    if extra_css:
        stylesheets.append(CSS(string=extra_css, font_config=font_config))
    return HTML(string=html, base_url=str(ROOT)).write_pdf(
        stylesheets=stylesheets, font_config=font_config, **options
    )


class fonttools_subsetter:
    """Make WeasyPrint subset with fontTools, as it does where libharfbuzz-subset (≥ 4.1) is missing."""

    def __enter__(self):
        self.saved = weasy_fonts.harfbuzz_subset
        weasy_fonts.harfbuzz_subset = None

    def __exit__(self, *exc):
        weasy_fonts.harfbuzz_subset = self.saved


def subsetter_in_use() -> str:
    if weasy_fonts.harfbuzz_subset is not None and weasy_fonts.harfbuzz.hb_version_atleast(4, 1, 0):
        return "HarfBuzz-subset"
    return "fontTools (libharfbuzz-subset missing or older than 4.1)"


def noto_installed() -> bool:
    try:
        found = subprocess.run(
            ["fc-list", ":family=Noto Serif CJK SC", "family"], capture_output=True, text=True
        )
    except FileNotFoundError:
        return False
    return bool(found.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=15)
    parser.add_argument("--no-extras", action="store_true", help="only (a) and (b)")
    args = parser.parse_args()
    html = sample_html(1)
    print(
        f"Two-page 批复 dated {official_date(samples.DATE)}, {len(html)} characters of HTML, {args.runs} renders each"
    )
    print(f"WeasyPrint subsets fonts with: {subsetter_in_use()}")

    results = timed(
        "(a) project: govinfo.documents.rendering (ARPHIC TrueType, cached config)",
        args.runs,
        lambda i: render_document(**render_arguments(i)).pdf_bytes,
    )
    timed(
        "(c) project, rare characters in a name (fallback fonts)",
        args.runs,
        lambda i: render_document(**render_arguments(i, rare=True)).pdf_bytes,
    )
    if noto_installed():
        timed(
            "(b) naive: fonts-noto-cjk, fresh config per render",
            max(3, args.runs // 3),
            lambda i: naive(html, NOTO_CSS),
        )
    else:
        print(
            f"{'(b) naive: fonts-noto-cjk, fresh config per render':<58} not installed (apt-get install fonts-noto-cjk)"
        )

    if not args.no_extras:
        print("-- where the time goes (same HTML, project fonts):")
        timed("   project fonts, fresh config + stylesheet per render", args.runs, lambda i: naive(html))
        timed(
            "   project fonts, cached, uncompressed_pdf=True",
            args.runs,
            lambda i: _cached(html, uncompressed_pdf=True),
        )
        timed("   project fonts, cached, hinting=True", args.runs, lambda i: _cached(html, hinting=True))
        timed(
            "   project fonts, cached, presentational_hints=True",
            args.runs,
            lambda i: _cached(html, presentational_hints=True),
        )
        print("-- with fontTools subsetting (WeasyPrint's fallback without libharfbuzz-subset):")
        with fonttools_subsetter():
            timed(
                "   (a) project set-up, fontTools subsetter",
                args.runs,
                lambda i: render_document(**render_arguments(i)).pdf_bytes,
            )
            if noto_installed():
                timed("   (b) naive Noto CJK, fontTools subsetter", 3, lambda i: naive(html, NOTO_CSS))

    verdict = "meets" if statistics.median(results) <= 0.3 else "misses"
    print(f"(a) median {statistics.median(results):.3f} s {verdict} the 0.3 s target.")


def _cached(html: str, **options) -> bytes:
    font_config, stylesheet = pdf._weasy()
    settings = {"presentational_hints": False, "optimize_images": True} | options
    return HTML(string=html, base_url=str(ROOT)).write_pdf(
        stylesheets=[stylesheet], font_config=font_config, **settings
    )


if __name__ == "__main__":
    main()
