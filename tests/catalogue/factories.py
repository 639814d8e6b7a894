"""Catalogue test data made through the services, as users would make it."""

from __future__ import annotations

import itertools

from catalogue import services
from catalogue.classification import Category
from catalogue.models import Resource, ShareType
from govinfo.orgs.models import Role
from tests.factories import member

_seq = itertools.count(1)


def resource_data(**overrides) -> dict:
    n = next(_seq)
    data = {
        "category": Category.BASIC,
        "subject": "b01",
        "name": f"测试信息资源{n}",
        # 细目 099 and five-digit sequences: never a code the demo catalogue uses (browser tests load both).
        "code": f"111112099/{n:05d}",
        "summary": "测试用资源摘要",
        "format": "database",
        "format_detail": "MySQL",
        "share_type": ShareType.CONDITIONAL,
        "share_condition": "仅用于本部门政务服务",
        "share_scope": "省级部门",
        "legal_basis": "",
        "share_method": "api",
        "open_attribute": "closed",
        "update_cycle": "daily",
        "secrecy": "non_secret",
        "related_codes": "",
    }
    data.update(overrides)
    if data["share_type"] == ShareType.NONE and not data["legal_basis"]:
        data["legal_basis"] = "《中华人民共和国个人信息保护法》第十三条"
    return data


DEFAULT_ITEMS = [
    {"name": "姓名", "data_type": "string", "length": 50},
    {"name": "身份证号码", "data_type": "string", "length": 18},
]


def bigdata_member(username: str | None = None):
    return member(Role.REVIEWER, agency_code="bigdata", username=username)


def make_resource(unit, by, *, state="draft", items=None, publisher=None, **overrides) -> Resource:
    resource = services.create_resource(
        unit=unit, by=by, data=resource_data(**overrides), items=DEFAULT_ITEMS if items is None else items
    )
    if state in ("submitted", "published", "retired"):
        resource = services.submit_resource(resource, by=by)
    if state in ("published", "retired"):
        resource = services.publish_resource(resource, by=publisher or bigdata_member())
    if state == "retired":
        resource = services.retire_resource(resource, by=by, reason="数据已整合")
    return resource
