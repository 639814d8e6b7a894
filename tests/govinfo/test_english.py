"""The English interface: a user who picks English sees English pages, and every string has a translation."""

import gettext
import re
import subprocess
from pathlib import Path

import pytest

from tests.approvals.review_factories import in_review

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
NAV = re.compile(r'<nav class="main-nav".*?</nav>', re.S)
H1 = re.compile(r"<h1>(.*?)</h1>", re.S)


def in_english(client, path):
    response = client.post("/i18n/setlang/", {"language": "en", "next": path}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def nav_labels(page):
    nav = NAV.search(page)
    assert nav, "the page has no main navigation"
    return [label.strip() for label in re.findall(r">([^<>]+)</a>", nav.group(0))]


def test_the_project_list_is_in_english(client, applicant):
    client.force_login(applicant)
    page = in_english(client, "/projects/")
    assert 'lang="en"' in page
    assert H1.search(page).group(1).strip() == "My projects"
    assert "New project application" in page and "No projects match" in page
    labels = nav_labels(page)
    assert "My projects" in labels and "To-do" in labels
    assert [label for label in labels if CJK.search(label)] == []


def test_the_catalogue_is_in_english(client, applicant):
    client.force_login(applicant)
    page = in_english(client, "/catalogue/resources/")
    assert H1.search(page).group(1).strip() == "Resource catalogue"
    assert "Search the catalogue" in page and "Sharing type" in page
    assert "信息资源目录" not in page and "检索" not in page
    assert [label for label in nav_labels(page) if CJK.search(label)] == []


def test_a_signer_sees_the_review_task_list_in_english(
    client, unit, applicant, ndrc_signer, reviewer_factory
):
    signer = reviewer_factory("finance", role="signer")
    in_review(unit, applicant, ndrc_signer)
    client.force_login(signer)
    page = in_english(client, "/review/tasks/")
    assert H1.search(page).group(1).strip() == "Review tasks"
    for heading in ("Due", "Project unit", "Review stage", "Reviewing agency", "Case officer", "Status"):
        assert f"<th>{heading}</th>" in page
    assert "Awaiting review" in page
    labels = nav_labels(page)
    assert "Review tasks" in labels and "Projects under review" in labels
    assert [label for label in labels if CJK.search(label)] == []


def test_switching_back_to_chinese_restores_the_chinese_page(client, applicant):
    client.force_login(applicant)
    in_english(client, "/projects/")
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/projects/"}, follow=True)
    assert H1.search(response.content.decode()).group(1).strip() == "我的项目"


def _unquote(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def po_entries(text, with_context=False):
    """(msgid, [msgstr, ...], flags) for each entry of a .po file, header included; obsolete ones skipped.

    With ``with_context`` each entry also carries its msgctxt (None when it has none)."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        fields, flags, current = {}, set(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current] += _unquote(line[1:-1])
            else:
                current, _, value = line.partition(" ")
                fields[current] = _unquote(value[1:-1])
        msgstrs = [value for key, value in fields.items() if key.startswith("msgstr")]
        entry = (fields.get("msgid", ""), msgstrs, flags)
        entries.append((*entry, fields.get("msgctxt")) if with_context else entry)
    return entries


def test_every_string_of_the_interface_has_an_english_translation():
    entries = [
        entry for entry in po_entries((CATALOGUE / "django.po").read_text(encoding="utf-8")) if entry[0]
    ]
    assert len(entries) > 500
    untranslated = [msgid for msgid, msgstrs, _ in entries if not all(msgstrs)]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == [] and fuzzy == []


def test_the_catalogue_passes_msgfmt_format_checks():
    # Every %(name)s of a msgid is in its translation and no translation brings a placeholder of its own.
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(CATALOGUE / "django.po")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_committed_mo_is_compiled_from_the_current_po():
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    source = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    stale = []
    for msgid, msgstrs, _flags, context in po_entries(source, with_context=True):
        if not msgid or len(msgstrs) != 1:
            continue
        found = translations.pgettext(context, msgid) if context else translations.gettext(msgid)
        if found != msgstrs[0]:
            stale.append(msgid)
    assert stale == [], "run manage.py compilemessages -l en"


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("项目单位", "Project unit"),
        ("共享申请", "Share request"),
        ("一数一源冲突", "Single-source conflicts"),
        ("第 %(n)s 页", "Page %(n)s"),
    ],
)
def test_the_compiled_catalogue_matches_the_source(chinese, english):
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    assert translations.gettext(chinese) == english
    assert translations.ngettext("共 %(n)s 项", "共 %(n)s 项", 2) == "%(n)s items"


def test_dates_read_as_officials_expect_in_each_language():
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    page = Template("{{ day|govdate }} / {{ day|govdate:'time' }}")
    moment = dt.datetime(2026, 11, 24, 9, 5)
    with translation.override("zh-hans"):
        assert page.render(Context({"day": moment})) == "2026年11月24日 / 2026年11月24日 09:05"
    with translation.override("en"):
        assert page.render(Context({"day": moment})) == "24 Nov 2026 / 24 Nov 2026 09:05"
    # A moment stored in UTC is shown on Beijing time: 20:30 UTC is already the next morning there.
    utc_evening = dt.datetime(2026, 11, 24, 20, 30, tzinfo=dt.UTC)
    with translation.override("zh-hans"):
        assert page.render(Context({"day": utc_evening})) == "2026年11月25日 / 2026年11月25日 04:30"
