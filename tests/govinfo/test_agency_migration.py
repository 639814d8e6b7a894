"""orgs 0004 on an existing database (R-REV-1): the agencies as the first seed left them — four reviewing by
default, NDRC among them — become the seven of 第二十二条 with their opinion types; an administrator's own
edits stay; an open round keeps the tasks it was opened with; the reverse restores the first seed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from govinfo.orgs.agencies import ensure_seed_agencies

BEFORE = [("orgs", "0003_agency_opinion_title")]
AFTER = [("orgs", "0004_seven_reviewing_agencies")]
FIRST_SEED = {
    # code: (reviews by default, remit, order) as seed 0002 wrote them before this change
    "ndrc": (True, "审批、批复与验收", 10),
    "finance": (True, "资金审核意见", 20),
    "cyberspace": (True, "信息安全审核意见", 30),
    "bigdata": (True, "技术审核意见", 40),
    "crypto": (False, "密码应用审核意见", 50),
    "secrecy": (False, "保密审核意见", 60),
    "police": (False, "网络安全等级保护审核意见", 70),
    "econit": (False, "信息化审核意见", 80),
    "audit": (False, "审计监督", 90),
}


def _apps(state):
    return MigrationExecutor(connection).loader.project_state(state).apps


def _agencies(state):
    return _apps(state).get_model("orgs", "Agency")


@pytest.mark.django_db(transaction=True)
def test_r_rev_1_the_data_migration_makes_the_seven_agencies_review_on_an_existing_database():
    try:
        _walk_the_migration_forwards_and_back()
    finally:  # whatever happens, the database is left at the latest state for the tests after this one
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _walk_the_migration_forwards_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = _apps(BEFORE)
    Agency = apps.get_model("orgs", "Agency")
    # A transactional test before this one may have flushed the seeded rows: seed them, then set them as
    # the first seed left them.
    ensure_seed_agencies(Agency, apps.get_model("auth", "Group"))
    for code, (default, focus, order) in FIRST_SEED.items():
        Agency.objects.filter(code=code).update(
            reviews_by_default=default, review_focus=focus, sort_order=order, opinion_title=""
        )
    # An administrator had renamed the police remit and moved the Big-data centre: those edits stay.
    Agency.objects.filter(code="police").update(review_focus="公安机关网络安全监管")
    Agency.objects.filter(code="bigdata").update(sort_order=5)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Agency = _agencies(AFTER)
    rows = {a.code: a for a in Agency.objects.all()}
    reviewing = {code for code, a in rows.items() if a.reviews_by_default}
    assert reviewing == {"cyberspace", "secrecy", "crypto", "econit", "police", "finance", "bigdata"}
    assert not rows["ndrc"].reviews_by_default
    assert rows["crypto"].opinion_title == "安全可靠和密码应用合规性审核意见"
    assert rows["finance"].opinion_title == "项目资金审核意见"
    assert rows["bigdata"].opinion_title == "技术审核意见"
    assert rows["police"].opinion_title == "信息安全审核意见"
    assert rows["police"].review_focus == "公安机关网络安全监管"  # kept
    assert rows["secrecy"].review_focus == "保密管理"  # the seeded value, rewritten
    assert rows["bigdata"].sort_order == 5  # kept
    assert [
        rows[c].sort_order for c in ["cyberspace", "secrecy", "crypto", "econit", "police", "finance"]
    ] == [
        20,
        30,
        40,
        50,
        60,
        70,
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Agency = _agencies(BEFORE)
    back = {a.code: a for a in Agency.objects.all()}
    assert {c for c, a in back.items() if a.reviews_by_default} == {
        "ndrc",
        "finance",
        "cyberspace",
        "bigdata",
    }
    assert back["secrecy"].review_focus == "保密审核意见" and back["cyberspace"].sort_order == 30
