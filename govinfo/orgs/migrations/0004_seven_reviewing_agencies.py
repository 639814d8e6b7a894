"""R-REV-1 as 川办法 第二十二条 says it: the seven agencies it names review every project by default, each
writing its own kind of opinion; 省发展改革委 writes none to itself.

第二十二条: "省发展改革委审批项目前，书面征求省委网信办、省国家保密局、省密码管理局、经济和信息化厅、公安厅、
财政厅、省大数据中心意见。" Until now four of the seven (保密局, 密码管理局, 经信厅, 公安厅) were only optional
and a 批复 could go out without their opinions; this makes all seven required by default and records
each one's opinion type (财政厅 项目资金审核意见; 网信办, 保密局, 经信厅, 公安厅 信息安全审核意见 by remit;
密码管理局 安全可靠和密码应用合规性审核意见; 大数据中心 技术审核意见).

NDRC's own review task is dropped (``reviews_by_default`` off for ``ndrc``). The article makes NDRC the
one who *solicits* the written opinions and then approves; it does not list NDRC among the agencies
consulted, and NDRC's own judgement is recorded where the article puts it: the 评估论证 it organises
(第二十四条, R-REV-4) and the 批复 it signs. A task in which NDRC writes an opinion to itself was a
formality that could hold up its own decision.

What this changes on an existing database:
- the seven agencies become ``reviews_by_default``, NDRC stops being, and each gets its opinion type;
  the remit (``review_focus``) and the display order (the article's order) are rewritten only where
  they still hold the value the first seed gave, so an administrator's edits stay;
- rounds already open keep the tasks they were opened with (an open NDRC task can still be signed,
  and NDRC may add the missing agencies to an open round); decided rounds and issued documents are
  history and are not touched. New acceptances open seven tasks.
Reversible: the reverse restores the first seed's flags, remits and order.
"""

from django.db import migrations

from govinfo.orgs.agencies import ARTICLE_22_AGENCIES, SEED_AGENCIES, ensure_seed_agencies

# What seed 0002 wrote, for the rows an administrator has not changed since: code → (remit, order).
FIRST_SEED = {
    "ndrc": ("审批、批复与验收", 10),
    "finance": ("资金审核意见", 20),
    "cyberspace": ("信息安全审核意见", 30),
    "bigdata": ("技术审核意见", 40),
    "crypto": ("密码应用审核意见", 50),
    "secrecy": ("保密审核意见", 60),
    "police": ("网络安全等级保护审核意见", 70),
    "econit": ("信息化审核意见", 80),
    "audit": ("审计监督", 90),
}
FIRST_DEFAULTS = {"ndrc", "finance", "cyberspace", "bigdata"}


def forwards(apps, schema_editor):
    Agency = apps.get_model("orgs", "Agency")
    ensure_seed_agencies(Agency, apps.get_model("auth", "Group"))
    for order, (code, _name, _short, _kind, _prefix, _default, focus, opinion) in enumerate(
        SEED_AGENCIES, start=1
    ):
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        agency.reviews_by_default = code in ARTICLE_22_AGENCIES
        agency.opinion_title = opinion
        old_focus, old_order = FIRST_SEED.get(code, (None, None))
        if agency.review_focus == old_focus:
            agency.review_focus = focus
        if agency.sort_order == old_order:
            agency.sort_order = order * 10
        agency.save(update_fields=["reviews_by_default", "opinion_title", "review_focus", "sort_order"])


def backwards(apps, schema_editor):
    Agency = apps.get_model("orgs", "Agency")
    current = {row[0]: (row[6], index * 10) for index, row in enumerate(SEED_AGENCIES, start=1)}
    for agency in Agency.objects.filter(code__in=FIRST_SEED):
        agency.reviews_by_default = agency.code in FIRST_DEFAULTS
        focus, order = current.get(agency.code, (None, None))
        if agency.review_focus == focus:
            agency.review_focus = FIRST_SEED[agency.code][0]
        if agency.sort_order == order:
            agency.sort_order = FIRST_SEED[agency.code][1]
        agency.save(update_fields=["reviews_by_default", "review_focus", "sort_order"])


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_agency_opinion_title"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, backwards)]
