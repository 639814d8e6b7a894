"""一数一源: the same item published by two providers is flagged with both sources."""

from catalogue.conflicts import conflict_keys, conflicts_for_keys, conflicts_for_resource

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
