import datetime as dt

from govinfo.formats import official_date, official_datetime


def test_official_dates_have_no_leading_zeros_and_use_beijing_time():
    assert official_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    late_utc = dt.datetime(2026, 1, 4, 18, 30, tzinfo=dt.UTC)  # already 5 January in Beijing
    assert official_date(late_utc) == "2026年1月5日"
    assert official_datetime(late_utc) == "2026年1月5日 02:30"


def test_sentences_write_dates_and_lists_in_the_readers_language():
    from django.utils import translation

    from govinfo.formats import clauses, display_date, display_datetime, series

    late_utc = dt.datetime(2026, 1, 4, 18, 30, tzinfo=dt.UTC)
    with translation.override("zh-hans"):
        assert display_date(dt.date(2026, 1, 5)) == "2026年1月5日"
        assert display_datetime(late_utc) == "2026年1月5日 02:30"
        assert series(["学校", "医院"]) == "学校、医院" and clauses(["甲", "乙"]) == "甲；乙"
    with translation.override("en"):
        assert display_date(dt.date(2026, 1, 5)) == "5 Jan 2026"
        assert display_datetime(late_utc) == "5 Jan 2026 02:30"
        assert series(["schools", "hospitals"]) == "schools, hospitals" and clauses(["a", "b"]) == "a; b"


def test_an_issued_document_date_stays_chinese_in_the_english_interface():
    from django.utils import translation

    with translation.override("en"):
        assert official_date(dt.date(2026, 1, 5)) == "2026年1月5日"


def test_amounts_in_wan_read_in_each_language():
    from decimal import Decimal

    from django.utils import translation

    from projects.money import format_wan

    with translation.override("zh-hans"):
        assert format_wan(Decimal("18000000")) == "1,800.00 万元"
    with translation.override("en"):
        assert format_wan(Decimal("18000000")) == "1,800.00 × 10k yuan"


def test_article_numbers_and_clause_ranges_read_in_the_readers_language():
    from django.utils import translation

    from govinfo.rules import article_label

    with translation.override("zh-hans"):
        assert article_label("第八条（一）至（七）") == "第八条（一）至（七）"
    with translation.override("en"):
        assert article_label("第八条（一）至（七）") == "Art. 8(1)–(7)"
        assert article_label("第八条(一)至(七)") == "Art. 8(1)–(7)"
        assert article_label("第二十一条、第二十七条") == "Art. 21, Art. 27"
