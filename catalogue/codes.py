"""资源代码: 类 (1 digit) 项 (2) 目 (3) 细目 (1 or more) "/" 顺序号, e.g. ``111112001/2001``."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CODE_RE = re.compile(r"^(?P<cls>[1-3])(?P<item>\d{2})(?P<head>\d{3})(?P<detail>\d{1,})/(?P<seq>\d{1,})$")
CODE_HELP = _(
    "格式：类（1位）项（2位）目（3位）细目（1位以上）/顺序号，如 111112001/2001；类：1 基础、2 主题、3 部门"
)


def normalise_code(value: str) -> str:
    # Full-width digits and slashes typed in a Chinese input method become ASCII.
    return (
        (value or "")
        .strip()
        .translate(str.maketrans("０１２３４５６７８９／", "0123456789/"))
        .replace(" ", "")
    )


def validate_resource_code(value: str) -> None:
    if not CODE_RE.match(normalise_code(value)):
        raise ValidationError(
            _("资源代码“%(code)s”格式不正确。%(help)s（《政务信息资源目录编制指南（试行）》）。"),
            code="format",
            params={"code": value, "help": CODE_HELP},
        )


def class_digit(code: str) -> str:
    match = CODE_RE.match(normalise_code(code))
    return match.group("cls") if match else ""


SPLIT_RE = re.compile(r"[\s,，、;；]+")


def split_codes(value: str) -> list[str]:
    return [normalise_code(part) for part in SPLIT_RE.split(value or "") if part.strip()]
