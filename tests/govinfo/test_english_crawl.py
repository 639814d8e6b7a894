"""The English interface has no Chinese left except names and data.

The demo is loaded, then every demo login switches to English and crawls the site from ``/``: every
same-site link, every search form with its default values. Each page's visible text (and the
attributes a user reads: title, placeholder, aria-label, alt, button labels) is stripped of every
string the demo seeded — names, project texts, resource and item names, reasons, opinions, document
numbers — and must then hold no Chinese character, full-width punctuation included.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from catalogue.resources import ITEM_SHEET, RESOURCE_SHEET

DEMO_LOGINS = ["unit-a", "unit-b", "ndrc", "finance", "cyberspace", "bigdata", "auditor", "expert", "admin"]
MAX_PAGES_PER_ROLE = 400
# Han characters, CJK punctuation (、。《》〔〕 live in U+3000–303F) and full-width forms (，：；（）).
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")
SKIP_PREFIXES = ("/accounts/logout", "/admin/", "/i18n/", "/static/", "/media/")
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# Rows whose text is written by code, not seeded as data: their strings are the UI under test.
NOT_DATA = {
    "auth.permission",
    "contenttypes.contenttype",
    "sessions.session",
    "admin.logentry",
    "auth.group",
}
# The audit trail's events are records: the trail browser shows each event's details as they were recorded
# (hashed into the chain, never re-translated), so those values are data; its labels and actions stay UI.
RECORDED = {"audit.auditevent": ("target_repr", "details")}

# The catalogue workbook's sheet names are part of its file format, which stays Chinese like a 公文:
# the import page names them as they appear in the workbook.
FORMAT_NAMES = [RESOURCE_SHEET, ITEM_SHEET]

# A frozen application revision stores its labels in Chinese on purpose (their msgids: the fingerprint must
# not depend on the submitter's language) and the revision page translates them, so they are interface,
# not data: section titles, field labels and article prefixes, choice labels and values shown as labels.
FROZEN = "projects.applicationrevision"
FROZEN_LABELS = {
    "title",
    "label",
    "prefix",
    "parts",
    "stage_label",
    "kind_label",
    "relation_label",
    "state_label",
}
FROZEN_LABEL_TYPES = {"choice", "list", "exclusion", "money"}  # their "display" is a label too


def seeded_strings() -> list[str]:
    """Every text the demo stored (names, free texts, codes, file names), longest first."""
    found: set[str] = set()

    def walk(value, frozen=False):
        if isinstance(value, str):
            found.add(re.sub(r"\s+", " ", value).strip())
        elif isinstance(value, dict):
            for key, item in value.items():
                is_label = key in FROZEN_LABELS or (
                    key == "display" and value.get("type") in FROZEN_LABEL_TYPES
                )
                if not (frozen and is_label):
                    walk(item, frozen)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, frozen)

    for model in apps.get_models():
        if model._meta.label_lower in NOT_DATA:
            continue
        fields = list(RECORDED.get(model._meta.label_lower, ())) or [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField | models.FileField)
        ]
        if not fields:
            continue
        frozen = model._meta.label_lower == FROZEN
        for row in model.objects.values_list(*fields):
            for value in row:
                walk(value, frozen)
                if isinstance(value, str) and "/" in value:
                    walk(value.rsplit("/", 1)[-1])  # a stored file is shown by its name
    return sorted((text for text in found if CJK.search(text)), key=len, reverse=True)


class Page(HTMLParser):
    """The text a reader sees on a page, the links it offers and its GET forms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.forms: list[tuple[str, list[tuple[str, str]], dict[str, list[str]]]] = []
        self._form: tuple[str, list[tuple[str, str]], dict[str, list[str]]] | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._skip: list[str] = []  # open tags whose content is not read (script, style, lang="zh-…")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.append(tag)
            return
        # A language switch names Chinese in Chinese, marked lang="zh-hans": that is not untranslated text.
        if tag in ("script", "style") or (attrs.get("lang") or "").startswith("zh"):
            self._skip.append(tag)
            return
        self.text.extend(value or "" for name, value in attrs.items() if name in VISIBLE_ATTRIBUTES)
        kind = (attrs.get("type") or "").lower()
        if tag == "input" and kind in ("submit", "button", "reset"):
            self.text.append(attrs.get("value") or "")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = (attrs.get("action") or "", [], {})
        if self._form is not None and attrs.get("name"):
            if tag == "input" and kind not in ("checkbox", "radio", "submit", "button", "file"):
                self._form[1].append((attrs["name"], attrs.get("value") or ""))
            elif tag == "select":
                self._select, self._select_value = attrs["name"], None
        if tag == "option" and self._select and self._form is not None:
            if "selected" in attrs or self._select_value is None:
                self._select_value = attrs.get("value") or ""
            self._form[2].setdefault(self._select, []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if tag == "select" and self._form is not None and self._select:
            self._form[1].append((self._select, self._select_value or ""))
            self._select = None
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def crawl_key(url: str) -> str | None:
    """The URL to fetch, or None to skip it: off-site, excluded, or pagination past page 2."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
        return None
    # An empty filter is no filter, and page 1 is the page itself: both would only repeat a page.
    query = dict(parse_qsl(parts.query))
    if query.get("page") == "1":
        del query["page"]
    if not query.get("page", "1").isdigit() or int(query.get("page", "1")) > 2:
        return None
    return parts.path + ("?" + urlencode(sorted(query.items())) if query else "")


def untranslated(text: str, seeded: list[str]) -> list[str]:
    text = re.sub(r"\s+", " ", text)
    for value in [*seeded, *FORMAT_NAMES]:
        if value in text:
            text = text.replace(value, " ")
    spans: list[list[int]] = []
    for match in CJK.finditer(text):
        if spans and match.start() <= spans[-1][1] + 40:
            spans[-1][1] = match.end()  # Chinese close to the last one belongs to the same snippet
        else:
            spans.append([match.start(), match.end()])
    return [text[max(0, start - 30) : end + 30] for start, end in spans]


def verify_pages() -> list[str]:
    """The verification page of every issued document: reached from the QR code, not from a link."""
    return [
        f"/verify/{token}/"
        for model in apps.get_models()
        if "verification_token" in {field.name for field in model._meta.concrete_fields}
        for token in model.objects.values_list("verification_token", flat=True)
    ]


def crawl(client, seeded, start: list[str]) -> tuple[int, list[str]]:
    """Visit every page reachable from ``start``; return the count and every Chinese snippet with its URL."""
    queue, seen, problems, count = deque(start), set(start), [], 0
    while queue and count < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code in (301, 302):
            target = crawl_key(urljoin(url, response["Location"]))
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            # A download (PDF, XLSX, a material) is not a page. Reading it to the end lets the test client
            # close the file itself, without closing the test's database connection.
            if response.streaming:
                b"".join(response.streaming_content)
            continue
        count += 1
        page = Page()
        page.feed(response.content.decode())
        for snippet in untranslated(" ".join(page.text), seeded):
            problems.append(f"{url} [{response.status_code}]: …{snippet}…")
        targets = [urljoin(url, href) for href in page.links]
        for action, fields, choices in page.forms:
            # Submitting a GET form replaces the query of its action with the form's fields; from the
            # unfiltered page each choice of each select is tried once (a filtered list may say more).
            base = urljoin(url, action).split("?")[0]
            targets.append(base + "?" + urlencode(fields))
            for name, values in choices.items() if "?" not in url else ():
                targets += [base + "?" + urlencode({**dict(fields), name: value}) for value in values]
        for target in targets:
            key = crawl_key(target)
            if key and key not in seen:
                seen.add(key)
                queue.append(key)
    return count, problems


pytestmark = pytest.mark.same_on_every_database


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=StringIO())
    return seeded_strings()


def test_every_page_of_every_demo_role_reads_without_chinese_in_english(client, demo):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk(DEMO_LOGINS, field_name="username")
    report, counts = [], {}
    for login in [*DEMO_LOGINS, "anonymous"]:
        client.logout()
        if login in users:
            client.force_login(users[login])
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        counts[login], problems = crawl(client, demo, ["/", "/verify/", *verify_pages()])
        assert counts[login] > 3, f"{login} reached only {counts[login]} pages"
        # One line per distinct snippet: a list page repeating the same label reports it once.
        report += [f"{login} {line}" for line in dict.fromkeys(problems)]
    print("pages crawled per role:", counts)
    assert report == [], f"{len(report)} untranslated snippets:\n" + "\n".join(report[:300])
