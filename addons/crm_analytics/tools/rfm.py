"""RFM segmentation, pure Python (no Odoo import).

Each customer gets three quintile scores 1..5 (5 = best): Recency (days since
the last purchase, fewer is better), Frequency (number of purchases) and
Monetary (total amount).  A score is ``1 + floor(5 * below / n)`` where
``below`` is how many customers have a strictly worse value: equal values share
a score and the best fifth gets 5.  Segments are named from R and F (and M for
champions), first matching rule wins.
"""

SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("new", "New customers"),
    ("potential_loyalist", "Potential loyalists"),
    ("at_risk", "At risk"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]


def quintile_scores(values, higher_is_better=True):
    """Map each key of ``values`` ({key: number}) to a score 1..5."""
    count = len(values)
    if not count:
        return {}
    ordered = sorted(values.values(), reverse=not higher_is_better)
    # position of the first occurrence of each value = how many are strictly worse
    first_index = {}
    for index, value in enumerate(ordered):
        first_index.setdefault(value, index)
    return {key: 1 + (5 * first_index[value]) // count for key, value in values.items()}


def segment(recency, frequency, monetary):
    """Named segment for R, F, M scores (1..5)."""
    if recency >= 4 and frequency >= 4 and monetary >= 4:
        return "champions"
    if recency >= 3 and frequency >= 3:
        return "loyal"
    if recency >= 4 and frequency == 1:
        return "new"
    if recency >= 3:
        return "potential_loyalist"
    if frequency >= 3:
        return "at_risk"
    if recency == 2:
        return "hibernating"
    return "lost"


def rfm_scores(rows):
    """``rows``: iterable of (key, days_since_last, frequency, monetary).

    Returns {key: (r, f, m, segment)}.
    """
    rows = list(rows)
    recency = quintile_scores({key: days for key, days, _f, _m in rows}, higher_is_better=False)
    frequency = quintile_scores({key: freq for key, _d, freq, _m in rows})
    monetary = quintile_scores({key: amount for key, _d, _f, amount in rows})
    return {
        key: (recency[key], frequency[key], monetary[key], segment(recency[key], frequency[key], monetary[key]))
        for key, _d, _f, _m in rows
    }
