"""统一社会信用代码 (GB 32100-2015): 18 characters whose last one is a check character."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from govinfo.formats import series

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The 18th character that GB 32100-2015 §4.3 computes from the first 17."""
    total = sum(CHARSET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位（GB 32100-2015），当前为%(n)d位。"),
            code="length",
            params={"n": len(code)},
        )
    bad = sorted({char for char in code if char not in CHARSET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。"),
            code="charset",
            params={"chars": series(bad)},
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "统一社会信用代码校验位错误：第18位应为“%(expected)s”，实为“%(actual)s”，请核对（GB 32100-2015）。"
            ),
            code="checksum",
            params={"expected": expected, "actual": code[17]},
        )


def make_credit_code(first17: str) -> str:
    """Complete 17 characters into a valid code; used by demo data and tests."""
    return first17 + check_character(first17)
