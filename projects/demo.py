"""Demo projects of both demo units in draft, submitted and returned, made through the services
so that their permissions and audit trail are real. Idempotent: a project that exists is left alone.

Each submitted project names catalogue entries it produces or uses (R-APP-2); the catalogue demo runs
first and its resources are found by code.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import Resource
from govinfo import workflow

from . import exclusions, services
from .checks import required_material_kinds
from .models import (
    Category,
    FundChannel,
    MaterialKind,
    Mode,
    Project,
    ProjectResource,
    SecureReliableStatus,
    SecurityLevel,
)

WAN = Decimal(10000)


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF (no fonts needed), enough to stand for a demo document."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        f"<< /Title ({title.encode('ascii', 'ignore').decode() or 'demo'}) >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


COMPLETE = {
    "category": Category.BUSINESS_SYSTEM,
    "main_tasks": "建设统一的业务办理、数据汇聚和监管分析功能，接入省一体化政务服务平台。",
    "basis_and_necessity": "落实省委、省政府关于数字政府建设的部署，解决现有系统分散、数据不通的问题。",
    "performance_goals": "业务网上办理率达到95%以上，数据共享接口调用响应时间不超过1秒。",
    "implementation_mode": Mode.SELF_BUILD,
    "mode_reason": "涉及核心业务数据，需自主掌控系统建设和运行。",
    "application_summary": "业务办理、统一门户、数据资源中心、监管分析四个子系统。",
    "cloud_requirement": "省级政务云：计算 64 核 / 256 GB，存储 20 TB，部署于电子政务外网区。",
    "security_level": SecurityLevel.MLPS_3,
    "crypto_summary": "采用商用密码实现身份鉴别、传输加密和重要数据存储加密，编制密码应用方案并开展密评。",
    "secure_reliable_status": SecureReliableStatus.ALL,
    "secure_reliable_note": "服务器、操作系统、数据库和中间件均选用安全可靠产品，密码产品具有商用密码产品认证证书。",
    "om_funding": Decimal(80) * WAN,
    "fund_channels": [FundChannel.PROVINCIAL_FISCAL],
    "exclusion_answers": {item.code: {"answer": exclusions.NO, "basis": ""} for item in exclusions.ITEMS},
}

# key, lead unit, name, total investment (万元), target state, participating units
DEMO_PROJECTS = [
    ("a-draft", "unit-a", "四川省教育综合管理平台升级改造", None, "draft", []),
    ("a-joint", "unit-a", "四川省智慧教育公共服务平台", 1800, "submitted", ["unit-b"]),
    ("a-returned", "unit-a", "四川省教育考试安全监管系统", 950, "returned", []),
    ("b-two-step", "unit-b", "四川省全民健康信息平台（二期）", 8600, "submitted", []),
    ("b-draft", "unit-b", "四川省卫生健康监督执法系统", 1200, "draft", []),
    ("b-returned", "unit-b", "四川省医疗机构电子证照应用", 600, "returned", []),
    # These three stay where they are (approvals' demo reviews the four above, and rejects b-rejected), so the
    # demo has a case in every state of DOMAIN §2: one waiting for acceptance, one back with its unit.
    ("a-waiting", "unit-a", "四川省教师管理信息系统", 700, "submitted", []),
    ("b-returned-open", "unit-b", "四川省卫生健康人才管理系统", 500, "returned", []),
    ("b-rejected", "unit-b", "四川省中医药综合管理平台", 1300, "submitted", []),
]

PRODUCED, USED = ProjectResource.Relation.PRODUCED, ProjectResource.Relation.USED
# project key → (catalogue demo resource code, relation); b-draft names none, so it shows R-APP-2 open.
DEMO_LINKS = {
    "a-draft": [("301101008/0001", PRODUCED)],  # 学生体质健康监测信息, still a catalogue draft
    "a-joint": [("301101001/0001", PRODUCED), ("111111001/0001", USED)],  # 中小学校基本信息; 人口基础信息
    "a-returned": [("301101004/0001", PRODUCED), ("111112001/0001", USED)],  # 高考报名信息; 学生基本信息
    "b-two-step": [("111112001/0002", PRODUCED), ("111111001/0001", USED)],  # 居民电子健康档案; 人口基础信息
    "b-returned": [("302101001/0001", PRODUCED), ("115111001/0001", USED)],  # 医疗机构执业登记; 电子证照目录
    "a-waiting": [("111112001/0001", USED)],  # 学生基本信息
    "b-returned-open": [("111111001/0001", USED)],  # 人口基础信息
    "b-rejected": [("111111001/0001", USED)],
}


def _link_demo_resources(project: Project, key: str, clerk) -> None:
    for code, relation in DEMO_LINKS.get(key, []):
        services.link_resource(project, by=clerk, resource=Resource.objects.get(code=code), relation=relation)


def load(context) -> None:
    User = get_user_model()
    units = context["units"]
    clerks = {"unit-a": User.objects.get(username="unit-a"), "unit-b": User.objects.get(username="unit-b")}
    ndrc = User.objects.get(username="ndrc")
    for key, unit_key, name, investment_wan, target, partners in DEMO_PROJECTS:
        unit = units[unit_key]
        if Project.objects.filter(lead_unit=unit, name=name).exists():
            continue
        clerk = clerks[unit_key]
        project = services.create_project(unit=unit, by=clerk, name=name)
        if target == "draft":
            changes = {"category": Category.BUSINESS_SYSTEM, "main_tasks": COMPLETE["main_tasks"]}
            if investment_wan:
                changes["total_investment"] = Decimal(investment_wan) * WAN
            services.update_section(project, by=clerk, section="basic", changes=changes)
            _link_demo_resources(project, key, clerk)
            continue
        services.update_section(
            project,
            by=clerk,
            section="basic",
            changes={**COMPLETE, "total_investment": Decimal(investment_wan) * WAN},
        )
        if partners:
            services.set_participants(
                project,
                by=clerk,
                lead_scope="统一门户、公共服务和数据资源中心建设。",
                rows=[(units[p], "健康教育资源对接和学生健康数据共享接口。") for p in partners],
            )
        for kind in required_material_kinds(project):
            label = MaterialKind(kind).label
            upload = SimpleUploadedFile(f"{label}.pdf", tiny_pdf(kind), content_type="application/pdf")
            services.upload_material(project, by=clerk, kind=kind, upload=upload)
        _link_demo_resources(project, key, clerk)
        services.submit(project, by=clerk)
        if target == "returned":
            # NDRC returns it before acceptance: the lifecycle table's row (approvals registers it).
            reason = "请补充与现有系统整合的分析专章，并细化政务云资源测算依据。"
            workflow.perform(
                project,
                "return_for_revision",
                by=ndrc,
                kwargs={"reason": reason},
                effect_kwargs={"reason": reason},
            )
