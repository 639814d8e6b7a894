"""Rendering is quiet: loading the demo (a dozen real PDFs) prints nothing from WeasyPrint or fontTools.

WeasyPrint logs every layout step at INFO ("Step 5 - Creating layout - Page 1") and unsupported CSS at WARNING;
fontTools warns about the ARPHIC fonts' padded glyph tables when it subsets. Settings keep both loggers at ERROR.
"""

import logging
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

import govinfo.settings as production
from govinfo.documents.issue import render_document
from tests.factories import agency

from .samples import BODY, DATE, TITLE

pytestmark = [pytest.mark.documents, pytest.mark.django_db, pytest.mark.same_on_every_database]

NOISY = ("weasyprint", "fontTools")


@pytest.fixture
def console(capsys, caplog):
    """The production console: the root logger at INFO, writing to stderr (here captured)."""
    caplog.set_level(logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    logging.getLogger().addHandler(handler)
    yield caplog
    logging.getLogger().removeHandler(handler)


def _from_noisy_loggers(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.split(".")[0] in NOISY]


def test_production_and_test_settings_keep_weasyprint_and_fonttools_at_error():
    for name in NOISY:
        assert production.LOGGING["loggers"][name]["level"] == "ERROR"
        assert settings.LOGGING["loggers"][name]["level"] == "ERROR"
        assert logging.getLogger(name).level == logging.ERROR


def test_loading_the_demo_with_real_rendering_writes_nothing_from_weasyprint(console, capsys):
    call_command("load_demo", stdout=StringIO())
    err = capsys.readouterr().err
    assert _from_noisy_loggers(console) == []
    assert "Step " not in err and "weasyprint" not in err.lower()


def test_the_quiet_setting_is_what_silences_it_and_real_errors_still_show(console, capsys, monkeypatch):
    # Without the setting the same rendering is noisy: the test above would see it.
    monkeypatch.setattr(logging.getLogger("weasyprint"), "level", logging.NOTSET)
    monkeypatch.setattr(logging.getLogger("weasyprint.progress"), "level", logging.NOTSET)
    ndrc = agency("ndrc")
    render_document(
        doc_number="川发改审〔2026〕1号",
        token="quiet-test",
        kind="approval",
        agency=ndrc,
        title=TITLE,
        addressee="四川省教育厅",
        body=[{"level": 0, "text": str(block), "run_in": ""} for block in BODY if isinstance(block, str)],
        project_code="",
        project_name="",
        cc=[],
        signer_agency_name=ndrc.name,
        date=DATE,
    )
    assert any(r.name.startswith("weasyprint") for r in console.records)
    monkeypatch.undo()
    console.clear()
    logging.getLogger("weasyprint").error("a real rendering error")
    assert [r.getMessage() for r in _from_noisy_loggers(console)] == ["a real rendering error"]
    assert "a real rendering error" in capsys.readouterr().err
