"""Every posted action of the delivery pages answers alike, as the rest of the product does.

Not this person's to do (``NotAllowed``) → the refusal page (403, recorded), whatever page it came from;
refused by a rule → the page again with the rule's words; done → back to the page with a message.
"""

import pytest
from django.urls import reverse

from delivery.models import SecurityFinding
from govinfo.audit.models import AuditEvent
from govinfo.refusals import ACTION

pytestmark = pytest.mark.django_db

REPORT = {
    "year": "2026",
    "progress": "已完成门户建设",
    "fund_execution": "已支付 60%",
    "user_unit_name": "省政务服务中心",
    "user_unit_opinion": "同意",
    "supervisor_name": "某监理公司",
    "supervisor_opinion": "同意",
}


def _templates(response) -> set[str]:
    return {t.name for t in response.templates}


def test_a_role_that_may_not_record_a_finding_gets_the_refusal_page(client, unit, people):
    client.force_login(people["finance"])
    response = client.post(reverse("delivery:record_finding", args=[unit.pk]), {"finding": "重大隐患"})
    assert response.status_code == 403
    assert "delivery/refused.html" in _templates(response)
    assert "delivery/unit_detail.html" not in _templates(response)
    assert SecurityFinding.objects.filter(unit=unit).count() == 0
    assert AuditEvent.objects.filter(action=ACTION, actor=people["finance"]).count() == 1


def test_a_role_that_may_not_file_a_monitoring_report_gets_the_refusal_page(client, building, people):
    client.force_login(people["ndrc"])
    response = client.post(reverse("delivery:monitoring_file", args=[building.pk]), REPORT)
    assert response.status_code == 403
    assert "delivery/refused.html" in _templates(response)
    assert "delivery/monitoring.html" not in _templates(response)
    assert AuditEvent.objects.filter(action=ACTION, actor=people["ndrc"]).count() == 1


def test_the_construction_pages_answer_the_same_way(client, building, people):
    client.force_login(people["finance"])
    response = client.post(reverse("delivery:suspend", args=[building.pk]), {"reason": "质量问题"})
    assert response.status_code == 403
    assert "delivery/refused.html" in _templates(response)


def test_a_rule_refusal_is_shown_on_the_page_with_its_words(client, building, applicant):
    client.force_login(applicant)
    response = client.post(reverse("delivery:monitoring_file", args=[building.pk]), dict(REPORT, year="2030"))
    assert response.status_code in (400, 403)
    assert "delivery/monitoring.html" in _templates(response)
