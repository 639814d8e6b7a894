import datetime as dt

from govinfo.formats import official_date, official_datetime


def test_official_dates_have_no_leading_zeros_and_use_beijing_time():
    assert official_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    late_utc = dt.datetime(2026, 1, 4, 18, 30, tzinfo=dt.UTC)  # already 5 January in Beijing
    assert official_date(late_utc) == "2026年1月5日"
    assert official_datetime(late_utc) == "2026年1月5日 02:30"
