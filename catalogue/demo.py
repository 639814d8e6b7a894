"""Demo catalogue: ~30 resources of 省教育厅 (unit-a), 省卫生健康委 (unit-b) and the Big-data centre,
with items, one 一数一源 conflict (身份证号码 from both units), share requests in every state and feedback.

Idempotent: resources are found by code and requests by (resource, requesting unit); a second run adds nothing.
The Big-data centre provides resources as a Unit record (四川省大数据中心); the bigdata agency's group is
granted maintenance of them, so the demo login ``bigdata`` answers their requests.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from govinfo.audit.trail import record
from govinfo.orgs.credit_code import make_credit_code
from govinfo.orgs.models import Agency, Unit
from govinfo.workdays.days import add_working_days

from . import permissions, rules, services
from .models import DataItem, Feedback, Resource, ShareRequest

BIGDATA_UNIT = ("四川省大数据中心", "省大数据中心", make_credit_code("12510000MB0217930"))

S, N, D, T = "string", "number", "date", "datetime"

# provider, code, name, category, subject, share type, state, items [(name, type, length)]
RESOURCES = [
    (
        "unit-a",
        "111112001/0001",
        "学生基本信息",
        "1",
        "b01",
        "conditional",
        "published",
        [("学生姓名", S, 50), ("身份证号码", S, 18), ("学籍号", S, 19), ("就读学校", S, 100)],
    ),
    (
        "unit-a",
        "301101001/0001",
        "中小学校基本信息",
        "3",
        "",
        "unconditional",
        "published",
        [("学校名称", S, 100), ("学校标识码", S, 10), ("办学类型", S, 20), ("学校地址", S, 200)],
    ),
    (
        "unit-a",
        "301101002/0001",
        "教师资格证书信息",
        "3",
        "",
        "conditional",
        "published",
        [("教师姓名", S, 50), ("资格证书编号", S, 17), ("任教学科", S, 30)],
    ),
    (
        "unit-a",
        "301101003/0001",
        "学历学位信息",
        "3",
        "",
        "conditional",
        "published",
        [("证书编号", S, 20), ("毕业院校", S, 100), ("毕业日期", D, None)],
    ),
    (
        "unit-a",
        "201011001/0001",
        "学生资助发放信息",
        "2",
        "t03",
        "conditional",
        "published",
        [("受助学生学籍号", S, 19), ("资助项目", S, 50), ("资助金额", N, 12)],
    ),
    (
        "unit-a",
        "301101004/0001",
        "高考报名信息",
        "3",
        "",
        "none",
        "published",
        [("考生号", S, 14), ("报考类别", S, 20)],
    ),
    (
        "unit-a",
        "301101005/0001",
        "校外培训机构信息",
        "3",
        "",
        "unconditional",
        "published",
        [("机构名称", S, 100), ("办学许可证号", S, 30), ("培训类别", S, 30)],
    ),
    (
        "unit-a",
        "201011002/0001",
        "校园安全隐患排查信息",
        "2",
        "t05",
        "conditional",
        "published",
        [("排查日期", D, None), ("隐患类型", S, 30), ("整改状态", S, 10)],
    ),
    (
        "unit-a",
        "301101006/0001",
        "教育经费统计信息",
        "3",
        "",
        "conditional",
        "published",
        [("统计年度", N, 4), ("经费总额", N, 16)],
    ),
    (
        "unit-a",
        "301101007/0001",
        "职业院校专业设置信息",
        "3",
        "",
        "unconditional",
        "submitted",
        [("专业代码", S, 6), ("专业名称", S, 60)],
    ),
    (
        "unit-a",
        "301101008/0001",
        "学生体质健康监测信息",
        "3",
        "",
        "conditional",
        "draft",
        [("监测年度", N, 4), ("体测成绩", N, 5)],
    ),
    (
        "unit-a",
        "301101009/0001",
        "民办学校年检信息",
        "3",
        "",
        "conditional",
        "retired",
        [("年检结论", S, 20), ("年检年度", N, 4)],
    ),
    (
        "unit-b",
        "111112001/0002",
        "居民电子健康档案",
        "1",
        "b01",
        "conditional",
        "published",
        [("居民姓名", S, 50), ("身份证号码", S, 18), ("档案编号", S, 17), ("建档日期", D, None)],
    ),
    (
        "unit-b",
        "202021001/0001",
        "出生医学证明信息",
        "2",
        "t02",
        "conditional",
        "published",
        [("新生儿姓名", S, 50), ("出生医学证明编号", S, 10), ("出生时间", T, None)],
    ),
    (
        "unit-b",
        "202021002/0001",
        "预防接种信息",
        "2",
        "t02",
        "conditional",
        "published",
        [("受种者编码", S, 20), ("疫苗名称", S, 50), ("接种日期", D, None)],
    ),
    (
        "unit-b",
        "302101001/0001",
        "医疗机构执业登记信息",
        "3",
        "",
        "unconditional",
        "published",
        [("医疗机构名称", S, 100), ("执业许可证登记号", S, 30), ("诊疗科目", S, 200)],
    ),
    (
        "unit-b",
        "302101002/0001",
        "医师执业注册信息",
        "3",
        "",
        "conditional",
        "published",
        [("医师姓名", S, 50), ("执业证书编码", S, 15), ("执业范围", S, 50)],
    ),
    (
        "unit-b",
        "302101003/0001",
        "护士执业注册信息",
        "3",
        "",
        "conditional",
        "published",
        [("护士姓名", S, 50), ("护士执业证书编号", S, 12)],
    ),
    (
        "unit-b",
        "202021003/0001",
        "死亡医学证明信息",
        "2",
        "t02",
        "none",
        "published",
        [("死亡证明编号", S, 12), ("死亡日期", D, None)],
    ),
    (
        "unit-b",
        "202041001/0001",
        "食品安全风险监测信息",
        "2",
        "t04",
        "unconditional",
        "published",
        [("监测点", S, 100), ("监测项目", S, 50), ("监测结果", S, 200)],
    ),
    (
        "unit-b",
        "302101004/0001",
        "公共卫生事件报告信息",
        "3",
        "",
        "conditional",
        "published",
        [("事件编号", S, 20), ("事件类别", S, 30), ("报告时间", T, None)],
    ),
    (
        "unit-b",
        "302101005/0001",
        "家庭医生签约信息",
        "3",
        "",
        "conditional",
        "submitted",
        [("签约编号", S, 20), ("签约团队", S, 50)],
    ),
    (
        "unit-b",
        "302101006/0001",
        "职业健康检查信息",
        "3",
        "",
        "conditional",
        "draft",
        [("体检机构", S, 100), ("检查结论", S, 200)],
    ),
    (
        "bigdata",
        "111111001/0001",
        "人口基础信息",
        "1",
        "b01",
        "conditional",
        "published",
        [("公民身份号码", S, 18), ("户籍地址", S, 200), ("民族", S, 10)],
    ),
    (
        "bigdata",
        "112111001/0001",
        "法人单位基础信息",
        "1",
        "b02",
        "unconditional",
        "published",
        [("统一社会信用代码", S, 18), ("单位名称", S, 200), ("法定代表人", S, 50)],
    ),
    (
        "bigdata",
        "113111001/0001",
        "行政区划信息",
        "1",
        "b03",
        "unconditional",
        "published",
        [("行政区划代码", S, 12), ("行政区划名称", S, 50)],
    ),
    (
        "bigdata",
        "114111001/0001",
        "社会信用综合信息",
        "1",
        "b04",
        "conditional",
        "published",
        [("信用主体代码", S, 18), ("信用评价等级", S, 10)],
    ),
    (
        "bigdata",
        "115111001/0001",
        "电子证照目录信息",
        "1",
        "b05",
        "unconditional",
        "published",
        [("证照类型代码", S, 20), ("证照名称", S, 100), ("颁证单位", S, 100)],
    ),
    (
        "bigdata",
        "208081001/0001",
        "公共信用黑名单信息",
        "2",
        "t08",
        "conditional",
        "published",
        [("失信主体名称", S, 200), ("列入日期", D, None)],
    ),
    (
        "bigdata",
        "201011003/0001",
        "政务服务事项目录",
        "2",
        "t01",
        "unconditional",
        "published",
        [("事项编码", S, 30), ("事项名称", S, 200), ("实施主体", S, 100)],
    ),
]

SUMMARIES = {
    "unconditional": "按《政务数据共享条例》向各部门无条件共享。",
    "conditional": "用于政务服务与监管核验，按申请答复后共享。",
    "none": "涉及个人敏感信息，依法不予共享。",
}


def load(context: dict) -> None:
    User = get_user_model()
    users = {name: User.objects.get(username=name) for name in ("unit-a", "unit-b", "bigdata")}
    units = dict(context["units"])
    units["bigdata"], _ = Unit.objects.get_or_create(
        credit_code=BIGDATA_UNIT[2], defaults={"name": BIGDATA_UNIT[0], "short_name": BIGDATA_UNIT[1]}
    )
    bigdata_agency = Agency.objects.get(code=permissions.BIGDATA_CODE)
    resources = {}
    for provider, code, name, category, subject, share_type, state, items in RESOURCES:
        resources[name] = _resource(
            units[provider],
            users[provider],
            users["bigdata"],
            bigdata_agency if provider == "bigdata" else None,
            code=code,
            name=name,
            category=category,
            subject=subject,
            share_type=share_type,
            state=state,
            items=items,
        )
    _requests(resources, units, users)
    _feedback(resources, units, users)


def _resource(unit, author, publisher, agency, *, code, name, category, subject, share_type, state, items):
    found = Resource.objects.filter(code=code).first()
    if found:
        return found
    data = {
        "category": category,
        "subject": subject,
        "name": name,
        "code": code,
        "summary": f"{unit.name}{name}。" + SUMMARIES[share_type],
        "format": "database",
        "format_detail": "关系型数据库",
        "share_type": share_type,
        "share_condition": "仅用于本部门法定职责范围内的政务服务和监管"
        if share_type == "conditional"
        else "",
        "share_scope": "省级政务部门" if share_type == "conditional" else "",
        "legal_basis": "《中华人民共和国个人信息保护法》第十三条、第二十八条" if share_type == "none" else "",
        "share_method": "api",
        "open_attribute": "closed",
        "update_cycle": "daily",
        "secrecy": "non_secret",
        "related_codes": "",
    }
    rows = [{"name": n, "data_type": t, "length": length} for n, t, length in items]
    if agency is None:
        resource = services.create_resource(unit=unit, by=author, data=data, items=rows)
    else:
        # The Big-data centre's own resources: its agency group maintains them (no unit clerk in the demo).
        resource = Resource(provider=unit, created_by=publisher, **data)
        resource.full_clean()
        resource.save()
        for position, row in enumerate(rows, start=1):
            DataItem.objects.create(resource=resource, position=position, **row)
        permissions.grant_maintainers(resource, unit.group)
        permissions.grant_maintainers(resource, agency.group)
        record("catalogue.resource.created", actor=publisher, target=resource, to_state=resource.state)
        author = publisher
    if state in ("submitted", "published", "retired"):
        resource = services.submit_resource(resource, by=author)
    if state in ("published", "retired"):
        resource = services.publish_resource(resource, by=publisher)
    if state == "retired":
        resource = services.retire_resource(resource, by=author, reason="已并入教育综合管理平台")
    return resource


def _request(resource, unit, by, purpose):
    existing = ShareRequest.objects.filter(resource=resource, requester=unit).first()
    if existing:
        return existing, False
    return services.request_share(resource, unit=unit, by=by, purpose=purpose), True


def _requests(resources, units, users):
    # pending, fresh: 省卫生健康委 asks for 学生基本信息
    _request(
        resources["学生基本信息"], units["unit-b"], users["unit-b"], "学生预防接种查验，核对学籍与身份信息"
    )
    # pending and overdue: 省教育厅 asked 省大数据中心 a month ago and got no answer (R-CAT-3). The
    # overdue provider is the Big-data centre, which files no projects, so both demo units can still
    # submit; tests/catalogue and tests/projects show a blocked unit (R-APP-4) on their own data.
    req, created = _request(
        resources["人口基础信息"], units["unit-a"], users["unit-a"], "学生户籍信息核验，办理入学登记"
    )
    if created:
        asked = timezone.localdate() - dt.timedelta(days=30)
        ShareRequest.objects.filter(pk=req.pk).update(
            created_at=timezone.now() - dt.timedelta(days=30),
            due_date=add_working_days(asked, rules.ANSWER_WORKING_DAYS),
        )
    # approved
    req, created = _request(resources["教师资格证书信息"], units["unit-b"], users["unit-b"], "校医资质审核")
    if created:
        services.answer_share_request(req, by=users["unit-a"], approve=True, text="同意，按接口方式调用")
    # refused, with the reason
    req, created = _request(
        resources["医师执业注册信息"], units["unit-a"], users["unit-a"], "了解医师分布情况"
    )
    if created:
        services.answer_share_request(
            req,
            by=users["unit-b"],
            approve=False,
            text="用途超出共享范围（仅限执业监管），建议使用统计公报数据",
        )
    # granted at once: 无条件共享
    _request(resources["法人单位基础信息"], units["unit-b"], users["unit-b"], "医疗机构法人信息核验")
    _request(resources["中小学校基本信息"], units["unit-b"], users["unit-b"], "学校卫生监督")


def _feedback(resources, units, users):
    resource = resources["法人单位基础信息"]
    if not Feedback.objects.filter(resource=resource, reporter=units["unit-b"]).exists():
        services.report_feedback(
            resource,
            unit=units["unit-b"],
            by=users["unit-b"],
            kind=Feedback.Kind.OBJECTION,
            text="部分医疗机构法定代表人信息与执业登记不一致，请核实。",
            items=list(resource.items.filter(name="法定代表人")),
        )
    resource = resources["教师资格证书信息"]
    if not Feedback.objects.filter(resource=resource, reporter=units["unit-b"]).exists():
        feedback = services.report_feedback(
            resource,
            unit=units["unit-b"],
            by=users["unit-b"],
            kind=Feedback.Kind.ERROR,
            text="个别证书编号位数不足17位。",
        )
        services.answer_feedback(feedback, by=users["unit-a"], text="已核实，系历史数据录入错误，已更正。")
