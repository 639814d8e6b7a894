"""Demo organisations and people: two units, the seeded agencies, one login per role."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from govinfo.orgs.agencies import ensure_seed_agencies
from govinfo.orgs.credit_code import make_credit_code
from govinfo.orgs.models import Agency, Membership, Role, Unit

DEMO_PASSWORD = "govinfo-demo-2026"

DEMO_UNITS = {
    "unit-a": ("四川省教育厅", "省教育厅", make_credit_code("11510000MB1526750"), "张明远"),
    "unit-b": ("四川省卫生健康委员会", "省卫生健康委", make_credit_code("11510000MB1963241"), "李秋华"),
}

# username, full name, role, organisation (unit key or agency code), what the login is for
DEMO_PEOPLE = [
    ("unit-a", "王晓燕", Role.APPLICANT, "unit-a", "项目单位经办人 · 省教育厅"),
    ("unit-b", "陈建国", Role.APPLICANT, "unit-b", "项目单位经办人 · 省卫生健康委"),
    ("ndrc", "刘志强", Role.SIGNER, "ndrc", "审核与签发 · 省发展改革委"),
    ("finance", "赵丽娟", Role.SIGNER, "finance", "审核与签发 · 省财政厅"),
    ("cyberspace", "孙伟", Role.SIGNER, "cyberspace", "审核与签发 · 省委网信办"),
    ("bigdata", "周敏", Role.SIGNER, "bigdata", "审核与签发 · 省大数据中心"),
    ("secrecy", "何文斌", Role.SIGNER, "secrecy", "审核与签发 · 省保密局"),
    ("crypto", "罗晓东", Role.SIGNER, "crypto", "审核与签发 · 省密码管理局"),
    ("miit", "黄志红", Role.SIGNER, "econit", "审核与签发 · 省经济和信息化厅"),
    ("police", "杨海", Role.SIGNER, "police", "审核与签发 · 省公安厅"),
    ("auditor", "吴静", Role.AUDITOR, "audit", "审计人员 · 省审计厅（只读）"),
    ("expert", "郑教授", Role.EXPERT, None, "评审专家"),
    ("admin", "系统管理员", Role.ADMIN, None, "系统管理员"),
]


def load_units() -> dict[str, Unit]:
    ensure_seed_agencies(Agency, Group)
    units = {}
    for key, (name, short, code, head) in DEMO_UNITS.items():
        units[key], _ = Unit.objects.get_or_create(
            credit_code=code, defaults={"name": name, "short_name": short, "head": head, "contact": head}
        )
    return units


def load_people(units: dict[str, Unit]) -> list[dict]:
    User = get_user_model()
    rows = []
    for username, full_name, role, where, purpose in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
        unit = units.get(where) if role == Role.APPLICANT else None
        agency = Agency.objects.get(code=where) if where and role != Role.APPLICANT else None
        Membership.objects.get_or_create(user=user, role=role, unit=unit, agency=agency)
        if role == Role.SIGNER:
            # A signer also drafts: the agency head reviews as well as signs.
            Membership.objects.get_or_create(user=user, role=Role.REVIEWER, unit=None, agency=agency)
        rows.append({"username": username, "name": full_name, "purpose": purpose})
    return rows
