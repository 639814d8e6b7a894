"""统一社会信用代码 validation (GB 32100-2015, DOMAIN §5a)."""

import pytest
from django.core.exceptions import ValidationError

from govinfo.orgs.credit_code import check_character, make_credit_code, validate_credit_code
from govinfo.orgs.models import Unit

# Published codes of real organisations, whose check characters the algorithm must reproduce.
REAL_CODES = ["91350100M000100Y43", "11100000000013127D", "91110000600037341L"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_it_accepts_real_codes(code):
    validate_credit_code(code)
    assert check_character(code[:17]) == code[17]


def test_it_names_the_expected_check_character():
    good = make_credit_code("11510000MB1526750")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(wrong)
    message = caught.value.messages[0]
    assert "校验位错误" in message and f"应为“{good[17]}”" in message


def test_it_rejects_letters_the_standard_leaves_out():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("91350100M000100YI3")
    assert "I" in caught.value.messages[0] and "不允许的字符" in caught.value.messages[0]


def test_it_rejects_a_wrong_length():
    with pytest.raises(ValidationError) as caught:
        validate_credit_code("9135010")
    assert "18位" in caught.value.messages[0]


def test_a_unit_with_a_wrong_code_cannot_be_saved_through_validation(db):
    unit = Unit(name="四川省测试厅", credit_code="91350100M000100Y44")
    with pytest.raises(ValidationError) as caught:
        unit.full_clean()
    assert "credit_code" in caught.value.message_dict
