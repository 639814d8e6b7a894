"""The agencies of DOMAIN.md §1 as they are seeded. Afterwards they are data, edited in the admin."""

SEED_AGENCIES = [
    # code, name, short name, kind, doc prefix, reviews by default, review focus
    ("ndrc", "四川省发展和改革委员会", "省发展改革委", "lead", "川发改审", True, "审批、批复与验收"),
    ("finance", "四川省财政厅", "省财政厅", "reviewer", "川财审", True, "资金审核意见"),
    (
        "cyberspace",
        "中共四川省委网络安全和信息化委员会办公室",
        "省委网信办",
        "reviewer",
        "川网信审",
        True,
        "信息安全审核意见",
    ),
    ("bigdata", "四川省大数据中心", "省大数据中心", "reviewer", "川数据审", True, "技术审核意见"),
    ("crypto", "四川省密码管理局", "省密码管理局", "reviewer", "川密审", False, "密码应用审核意见"),
    ("secrecy", "四川省国家保密局", "省保密局", "reviewer", "川保密审", False, "保密审核意见"),
    ("police", "四川省公安厅", "省公安厅", "reviewer", "川公审", False, "网络安全等级保护审核意见"),
    ("econit", "四川省经济和信息化厅", "省经济和信息化厅", "reviewer", "川经信审", False, "信息化审核意见"),
    ("audit", "四川省审计厅", "省审计厅", "oversight", "", False, "审计监督"),
]


def ensure_seed_agencies(agency_model, group_model) -> None:
    """Create the seeded agencies that are missing. Takes the models so migrations can pass theirs."""
    for order, (code, name, short, kind, prefix, default, focus) in enumerate(SEED_AGENCIES, start=1):
        if agency_model.objects.filter(code=code).exists():
            continue
        group, _ = group_model.objects.get_or_create(name=f"agency:{name}")
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
        )
