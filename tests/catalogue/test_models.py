"""Resource fields of DOMAIN.md §5: code format, classification, sharing attributes, item names."""

import pytest
from django.core.exceptions import ValidationError

from catalogue.classification import Category
from catalogue.codes import validate_resource_code
from catalogue.models import Resource, ShareType
from catalogue.naming import normalise_item_name

from .factories import resource_data


@pytest.mark.parametrize(
    "code", ["111112001/2001", "201001001/1", "3010010011/0001", "１１１１１２００１／２００１"]
)
def test_resource_code_accepts_the_documented_format(code):
    validate_resource_code(code)


@pytest.mark.parametrize(
    "code", ["111112001", "11111/2001", "411112001/2001", "111112001/", "A11112001/2001", ""]
)
def test_resource_code_refuses_other_shapes_in_chinese(code):
    with pytest.raises(ValidationError) as excinfo:
        validate_resource_code(code)
    assert "资源代码" in str(excinfo.value) and "格式不正确" in str(excinfo.value)


def _resource(unit, applicant, **overrides):
    return Resource(provider=unit, created_by=applicant, **resource_data(**overrides))


def test_code_class_digit_must_match_the_classification(unit, applicant):
    resource = _resource(unit, applicant, category=Category.THEME, subject="t01", code="111112001/0009")
    with pytest.raises(ValidationError) as excinfo:
        resource.full_clean()
    assert "与所选分类“主题信息资源”（类代码 2）不一致" in str(excinfo.value.message_dict["code"])


def test_basic_and_theme_resources_need_a_sub_class_of_their_own_class(unit, applicant):
    resource = _resource(unit, applicant, category=Category.BASIC, subject="t03")
    with pytest.raises(ValidationError) as excinfo:
        resource.full_clean()
    assert "subject" in excinfo.value.message_dict


def test_department_resources_take_the_provider_as_sub_class(unit, applicant):
    resource = _resource(unit, applicant, category=Category.DEPARTMENT, subject="b01", code="301001001/0001")
    resource.full_clean()
    assert resource.subject == "" and resource.subject_label == unit.display_name


def test_r_cat_2_conditional_sharing_needs_condition_and_scope(unit, applicant):
    resource = _resource(
        unit, applicant, share_type=ShareType.CONDITIONAL, share_condition="", share_scope=""
    )
    with pytest.raises(ValidationError) as excinfo:
        resource.full_clean()
    errors = excinfo.value.message_dict
    assert "R-CAT-2" in errors["share_condition"][0] and "R-CAT-2" in errors["share_scope"][0]


def test_r_cat_2_not_shared_needs_a_legal_basis(unit, applicant):
    resource = _resource(unit, applicant, share_type=ShareType.NONE, legal_basis="x")
    resource.legal_basis = ""
    with pytest.raises(ValidationError) as excinfo:
        resource.full_clean()
    assert "R-CAT-2" in excinfo.value.message_dict["legal_basis"][0]


def test_related_codes_are_checked_one_by_one(unit, applicant):
    resource = _resource(unit, applicant, related_codes="111112001/2001、bad-code")
    with pytest.raises(ValidationError) as excinfo:
        resource.full_clean()
    assert "bad-code" in excinfo.value.message_dict["related_codes"][0]


@pytest.mark.parametrize(
    "variant", ["身份证号码", " 身份证 号码 ", "身份证号码。", "身份证号码（）", "身份证号码\u3000"]
)
def test_item_names_normalise_spaces_punctuation_and_width(variant):
    assert normalise_item_name(variant) == "身份证号码"


def test_full_width_latin_folds_to_half_width():
    assert normalise_item_name("ＩＤ　Card") == normalise_item_name("id card") == "idcard"
