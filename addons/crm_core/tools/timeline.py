"""Merging per-source timeline entries into one page, newest first (no Odoo import)."""
import datetime
import heapq


def _sort_key(entry):
    date = entry.get("date")
    if isinstance(date, datetime.datetime):
        return date
    if isinstance(date, datetime.date):
        return datetime.datetime.combine(date, datetime.time.min)
    return datetime.datetime.min


def merge_entries(sources, offset=0, limit=20):
    """Merge lists of entries into one page.

    ``sources`` are lists of dicts with a ``date`` (each fetched with at least
    ``offset + limit`` entries, in any order). Returns ``(entries, has_more)``:
    the entries ``offset .. offset + limit`` of the merged list, newest first,
    and whether more entries exist after this page. Ties keep the sources' order.
    """
    if offset < 0 or limit < 0:
        raise ValueError("offset and limit must be positive")
    ordered = [sorted(source, key=_sort_key, reverse=True) for source in sources]
    merged = list(heapq.merge(*ordered, key=_sort_key, reverse=True))
    return merged[offset:offset + limit], len(merged) > offset + limit
