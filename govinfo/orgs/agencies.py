"""The agencies of DOMAIN.md §1 as they are seeded. Afterwards they are data, edited in the admin.

川办法 第二十二条 names the seven agencies whose written opinions 省发展改革委 collects before it approves,
each with its own kind of opinion: 财政厅 项目资金审核意见; 省委网信办, 省国家保密局, 经济和信息化厅 and 公安厅
信息安全审核意见 "按照职能职责" (each by its own remit, kept in ``review_focus``); 省密码管理局
安全可靠和密码应用合规性审核意见; 省大数据中心 技术审核意见. They are listed in the article's order.
省发展改革委 collects the opinions and decides; it writes none to itself (see orgs migration 0004).
"""

FUNDS = "项目资金审核意见"
SECURITY = "信息安全审核意见"
CRYPTO = "安全可靠和密码应用合规性审核意见"
TECHNICAL = "技术审核意见"

# code, name, short name, kind, doc prefix, reviews by default, remit (review focus), opinion type
SEED_AGENCIES = [
    ("ndrc", "四川省发展和改革委员会", "省发展改革委", "lead", "川发改审", False, "审批、批复与验收", ""),
    (
        "cyberspace",
        "中共四川省委网络安全和信息化委员会办公室",
        "省委网信办",
        "reviewer",
        "川网信审",
        True,
        "网络安全和数据安全",
        SECURITY,
    ),
    ("secrecy", "四川省国家保密局", "省保密局", "reviewer", "川保密审", True, "保密管理", SECURITY),
    ("crypto", "四川省密码管理局", "省密码管理局", "reviewer", "川密审", True, "安全可靠和密码应用", CRYPTO),
    (
        "econit",
        "四川省经济和信息化厅",
        "省经济和信息化厅",
        "reviewer",
        "川经信审",
        True,
        "工业和信息化领域信息安全",
        SECURITY,
    ),
    ("police", "四川省公安厅", "省公安厅", "reviewer", "川公审", True, "网络安全等级保护", SECURITY),
    ("finance", "四川省财政厅", "省财政厅", "reviewer", "川财审", True, "项目资金", FUNDS),
    (
        "bigdata",
        "四川省大数据中心",
        "省大数据中心",
        "reviewer",
        "川数据审",
        True,
        "技术论证与信息资源共享",
        TECHNICAL,
    ),
    ("audit", "四川省审计厅", "省审计厅", "oversight", "", False, "审计监督", ""),
]

# The seven agencies 第二十二条 names (R-REV-1), by code.
ARTICLE_22_AGENCIES = ("cyberspace", "secrecy", "crypto", "econit", "police", "finance", "bigdata")


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def ensure_seed_agencies(agency_model, group_model) -> None:
    """Create the seeded agencies that are missing. Takes the models so migrations can pass theirs
    (an early migration's Agency has no ``opinion_title`` yet: the field is set only where it exists)."""
    with_opinion = _has_field(agency_model, "opinion_title")
    for order, (code, name, short, kind, prefix, default, focus, opinion) in enumerate(
        SEED_AGENCIES, start=1
    ):
        if agency_model.objects.filter(code=code).exists():
            continue
        group, _ = group_model.objects.get_or_create(name=f"agency:{name}")
        extra = {"opinion_title": opinion} if with_opinion else {}
        agency_model.objects.create(
            code=code,
            name=name,
            short_name=short,
            kind=kind,
            doc_prefix=prefix,
            reviews_by_default=default,
            review_focus=focus,
            sort_order=order * 10,
            group=group,
            **extra,
        )
