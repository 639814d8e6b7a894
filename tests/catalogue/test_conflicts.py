"""一数一源: the same item published by two providers is flagged with both sources."""

from django.urls import reverse

from catalogue import services
from catalogue.conflicts import conflict_keys, conflicts_for_keys, conflicts_for_resource, rebuild
from catalogue.models import ConflictKey
from govinfo.orgs.models import Role
from tests.factories import UnitFactory, member

from .factories import make_resource


def test_r_cat_1_same_item_from_two_providers_is_a_conflict(
    unit, applicant, other_unit, other_applicant, bigdata
):
    a = make_resource(
        unit,
        applicant,
        state="published",
        publisher=bigdata,
        items=[{"name": "身份证号码", "data_type": "string"}],
    )
    b = make_resource(
        other_unit,
        other_applicant,
        state="published",
        publisher=bigdata,
        items=[{"name": "身份证 号码。", "data_type": "string"}],
    )
    (conflict,) = conflicts_for_keys(conflict_keys())
    assert {s.resource_id for s in conflict.sources} == {a.pk, b.pk}
    assert conflict.providers == sorted([unit.name, other_unit.name])
    assert [c.label for c in conflicts_for_resource(a)] == ["身份证号码（字符型）"]


def test_different_type_or_same_provider_is_not_a_conflict(
    unit, applicant, other_unit, other_applicant, bigdata
):
    make_resource(
        unit,
        applicant,
        state="published",
        publisher=bigdata,
        items=[{"name": "出生日期", "data_type": "date"}],
    )
    make_resource(
        unit,
        applicant,
        state="published",
        publisher=bigdata,
        items=[{"name": "出生日期", "data_type": "date"}],
    )
    make_resource(
        other_unit,
        other_applicant,
        state="published",
        publisher=bigdata,
        items=[{"name": "出生日期", "data_type": "string"}],
    )
    assert list(conflict_keys()) == []


def test_a_draft_is_warned_before_publication_but_not_listed(
    unit, applicant, other_unit, other_applicant, bigdata
):
    make_resource(
        unit, applicant, state="published", publisher=bigdata, items=[{"name": "姓名", "data_type": "string"}]
    )
    draft = make_resource(other_unit, other_applicant, items=[{"name": "姓名", "data_type": "string"}])
    assert list(conflict_keys()) == []
    assert len(conflicts_for_resource(draft)) == 1


def test_r_cat_1_a_retired_source_leaves_the_conflict(unit, applicant, other_unit, other_applicant, bigdata):
    items = [{"name": "统一社会信用代码", "data_type": "string"}]
    make_resource(unit, applicant, state="published", publisher=bigdata, items=items)
    retired = make_resource(other_unit, other_applicant, state="published", publisher=bigdata, items=items)
    assert len(conflict_keys()) == 1
    services.retire_resource(retired, by=other_applicant, reason="数据已整合")
    assert list(conflict_keys()) == []


def test_r_cat_1_the_conflicts_page_lists_ten_sources_and_counts_the_rest(client, bigdata):
    item = [{"name": "身份证号码", "data_type": "string"}]
    for n in range(12):
        clerk = member(
            Role.APPLICANT, unit=UnitFactory(name=f"四川省测试厅{n:02d}"), username=f"clerk-{n:02d}"
        )
        make_resource(clerk.memberships.get().unit, clerk, state="published", publisher=bigdata, items=item)
    client.force_login(bigdata)
    page = client.get(reverse("catalogue:conflicts")).content.decode()
    assert page.count("四川省测试厅") == 10
    assert "四川省测试厅09" in page and "四川省测试厅10" not in page
    assert "另有 2 个来源" in page
    (conflict,) = conflicts_for_keys(conflict_keys())
    assert conflict.more == 2


def test_r_cat_1_an_item_deleted_from_a_published_resource_leaves_the_conflict(
    unit, applicant, other_unit, other_applicant, bigdata
):
    """The administrator's inline may delete an item of a published resource; the count follows."""
    items = [{"name": "婚姻状况", "data_type": "string"}, {"name": "学历", "data_type": "string"}]
    make_resource(unit, applicant, state="published", publisher=bigdata, items=items)
    other = make_resource(other_unit, other_applicant, state="published", publisher=bigdata, items=items)
    assert {key["normalized_name"] for key in conflict_keys()} == {"婚姻状况", "学历"}
    other.items.get(name="学历").delete()
    assert [key["normalized_name"] for key in conflict_keys()] == ["婚姻状况"]


def test_r_cat_1_rebuild_counts_every_conflict_afresh(unit, applicant, other_unit, other_applicant, bigdata):
    """What the migration and the scale bench run: the keys in conflict, from the published items alone."""
    items = [{"name": f"共用项{n:04d}", "data_type": "string"} for n in range(1200)]
    make_resource(unit, applicant, state="published", publisher=bigdata, items=items)
    make_resource(other_unit, other_applicant, state="published", publisher=bigdata, items=items[:1100])
    ConflictKey.objects.all().delete()
    assert rebuild() == 1100
    (first,) = conflicts_for_keys(conflict_keys()[:1])
    assert first.more == 0 and first.providers == sorted([unit.name, other_unit.name])
