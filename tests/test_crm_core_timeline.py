"""The timeline's merge of per-source entries into one page (crm_core/tools/timeline.py)."""
from datetime import date, datetime

import pytest

import conftest

timeline = conftest.load_tool("crm_core", "timeline")


def _entry(day, key="x"):
    return {"date": datetime(2026, 1, day, 12, 0), "type": key}


def test_merges_sources_newest_first():
    calls = [_entry(3, "call"), _entry(1, "call")]
    deals = [_entry(2, "deal"), _entry(5, "deal")]
    entries, has_more = timeline.merge_entries([calls, deals], 0, 10)
    assert [e["date"].day for e in entries] == [5, 3, 2, 1]
    assert has_more is False


def test_pages_and_has_more():
    source = [_entry(day) for day in range(1, 8)]
    first, more = timeline.merge_entries([source], 0, 3)
    assert [e["date"].day for e in first] == [7, 6, 5]
    assert more is True
    last, more = timeline.merge_entries([source], 6, 3)
    assert [e["date"].day for e in last] == [1]
    assert more is False


def test_dates_and_missing_dates_sort_together():
    entries, _more = timeline.merge_entries(
        [[{"date": date(2026, 1, 2)}, {"date": None}], [_entry(1)]], 0, 5)
    assert entries[0]["date"] == date(2026, 1, 2)
    assert entries[-1]["date"] is None


def test_negative_page_is_refused():
    with pytest.raises(ValueError):
        timeline.merge_entries([], -1, 5)
