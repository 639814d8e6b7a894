"""Agencies, units and memberships: who acts for whom, and the permission groups that follow."""

import pytest
from django.db import IntegrityError, transaction

from govinfo.orgs import roles
from govinfo.orgs.models import Agency, Membership, Role

from ..factories import UserFactory, agency, member

pytestmark = pytest.mark.django_db


def test_r_rev_1_the_seven_agencies_of_article_22_review_by_default_each_with_its_opinion_type():
    reviewing = set(Agency.objects.filter(reviews_by_default=True).values_list("code", flat=True))
    assert reviewing == {"cyberspace", "secrecy", "crypto", "econit", "police", "finance", "bigdata"}
    # NDRC collects the opinions and decides; it writes none to itself (orgs migration 0004).
    assert not agency("ndrc").reviews_by_default
    assert agency("ndrc").doc_prefix == "川发改审"
    assert agency("ndrc").kind == Agency.Kind.LEAD
    titles = dict(Agency.objects.values_list("code", "opinion_title"))
    assert titles["finance"] == "项目资金审核意见"
    assert {titles[c] for c in ["cyberspace", "secrecy", "econit", "police"]} == {"信息安全审核意见"}
    assert titles["crypto"] == "安全可靠和密码应用合规性审核意见"
    assert titles["bigdata"] == "技术审核意见"
    # In the article's order.
    ordered = [a.code for a in Agency.objects.filter(reviews_by_default=True).order_by("sort_order")]
    assert ordered == ["cyberspace", "secrecy", "crypto", "econit", "police", "finance", "bigdata"]


def test_a_new_reviewing_agency_is_a_row_with_its_own_group():
    added = Agency.objects.create(code="stats", name="四川省统计局", reviews_by_default=True)
    assert added.group.name == "agency:四川省统计局"


def test_an_applicant_must_belong_to_a_unit():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.APPLICANT, agency=agency("finance"))


def test_a_reviewer_must_belong_to_an_agency(unit):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.REVIEWER, unit=unit)


def test_joining_a_unit_puts_the_clerk_in_its_group_and_leaving_takes_them_out(unit):
    clerk = member(Role.APPLICANT, unit=unit)
    assert clerk.groups.filter(pk=unit.group_id).exists()
    membership = Membership.objects.get(user=clerk)
    membership.is_active = False
    membership.save()
    assert not clerk.groups.filter(pk=unit.group_id).exists()


def test_a_signer_keeps_the_agency_group_while_any_role_there_remains():
    head = member(Role.SIGNER, agency_code="finance")
    finance = agency("finance")
    Membership.objects.get(user=head, role=Role.SIGNER).delete()
    assert head.groups.filter(pk=finance.group_id).exists(), "still a reviewer there"
    Membership.objects.get(user=head, role=Role.REVIEWER).delete()
    assert not head.groups.filter(pk=finance.group_id).exists()


def test_roles_report_units_and_agencies(unit):
    clerk = member(Role.APPLICANT, unit=unit)
    head = member(Role.SIGNER, agency_code="bigdata")
    assert roles.units_of(clerk) == [unit]
    assert roles.agencies_of(clerk) == []
    assert [a.code for a in roles.agencies_of(head)] == ["bigdata"]
    assert roles.is_signer_for(head, agency("bigdata"))
    assert not roles.is_signer_for(head, agency("finance"))
    assert roles.role_labels(clerk) == [f"项目单位经办人 · {unit.short_name}"]


def test_an_inactive_unit_grants_no_filing_rights(unit):
    clerk = member(Role.APPLICANT, unit=unit)
    unit.is_active = False
    unit.save()
    roles.forget(clerk)
    assert roles.units_of(clerk) == []
