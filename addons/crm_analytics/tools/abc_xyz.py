"""ABC and XYZ classification, pure Python (no Odoo import).

ABC ranks items by their share of the total value: sorted by value, an item is
in class A while the cumulative share *before* it is below the A threshold
(so the biggest item is always A), in B while it is below A + B, else C.

XYZ measures how regular the demand is: the coefficient of variation (population
standard deviation / mean, in percent) of the item's monthly figures over the
whole period, months without demand counting as zero.  X is at most the X
threshold, Y at most the Y threshold, Z above (or a zero mean).
"""
import math

DEFAULT_ABC_THRESHOLDS = (80.0, 15.0)  # A share, B share (C takes the rest)
DEFAULT_XYZ_THRESHOLDS = (10.0, 25.0)  # X max CV %, Y max CV %


def abc_classes(values, a_share=DEFAULT_ABC_THRESHOLDS[0], b_share=DEFAULT_ABC_THRESHOLDS[1]):
    """Map each key of ``values`` ({key: value}) to 'A', 'B' or 'C'.

    Keys with a value <= 0 get no class (they are left out of the result).
    Ties are ordered by key so the result is deterministic.
    """
    positive = [(key, value) for key, value in values.items() if value and value > 0]
    total = sum(value for _key, value in positive)
    if not total:
        return {}
    positive.sort(key=lambda item: (-item[1], item[0]))
    classes = {}
    cumulative = 0.0
    for key, value in positive:
        share_before = 100.0 * cumulative / total
        if share_before < a_share:
            classes[key] = "A"
        elif share_before < a_share + b_share:
            classes[key] = "B"
        else:
            classes[key] = "C"
        cumulative += value
    return classes


def coefficient_of_variation(series):
    """Population coefficient of variation of ``series`` in percent (None when the mean is 0)."""
    count = len(series)
    if not count:
        return None
    mean = sum(series) / count
    if mean <= 0:
        return None
    variance = sum((x - mean) ** 2 for x in series) / count
    return 100.0 * math.sqrt(variance) / mean


def xyz_class(cv, x_max=DEFAULT_XYZ_THRESHOLDS[0], y_max=DEFAULT_XYZ_THRESHOLDS[1]):
    """'X', 'Y' or 'Z' for a coefficient of variation in percent (None -> 'Z')."""
    if cv is None:
        return "Z"
    if cv <= x_max:
        return "X"
    if cv <= y_max:
        return "Y"
    return "Z"


def xyz_classes(monthly, months, x_max=DEFAULT_XYZ_THRESHOLDS[0], y_max=DEFAULT_XYZ_THRESHOLDS[1]):
    """Classify items from their monthly figures.

    ``monthly`` is {key: {month: value}} (missing months are zero), ``months``
    the number of months in the period.  Returns {key: (class, cv)}; items with
    no positive demand are left out.
    """
    result = {}
    for key, by_month in monthly.items():
        series = [value for value in by_month.values() if value]
        if not series or sum(series) <= 0:
            continue
        series += [0.0] * max(months - len(series), 0)
        cv = coefficient_of_variation(series)
        result[key] = (xyz_class(cv, x_max, y_max), cv)
    return result


def cv_from_moments(total, sum_squares, months):
    """Population CV in percent from the sum and the sum of squares of ``months`` monthly values.

    Months without demand are zeros, so they add nothing to either sum: the
    aggregation can stay in SQL and only one row per item reaches Python.
    """
    if not months or not total or total <= 0:
        return None
    mean = total / months
    variance = max(sum_squares / months - mean * mean, 0.0)
    return 100.0 * math.sqrt(variance) / mean


def classify_moments(rows, months, abc=DEFAULT_ABC_THRESHOLDS, xyz=DEFAULT_XYZ_THRESHOLDS):
    """``rows``: iterable of (key, revenue, demand sum, demand sum of squares) over ``months`` months.

    Returns {key: (abc_class, xyz_class, revenue, cv)} like :func:`classify`.
    """
    rows = list(rows)
    abc_map = abc_classes({key: revenue or 0.0 for key, revenue, _total, _squares in rows}, *abc)
    result = {}
    for key, revenue, total, squares in rows:
        cv = cv_from_moments(total or 0.0, squares or 0.0, months)
        xyz_value = xyz_class(cv, *xyz) if total and total > 0 else None
        if key in abc_map or xyz_value:
            result[key] = (abc_map.get(key), xyz_value, revenue or 0.0, cv)
    return result


def classify(revenue_rows, demand_rows, months, abc=DEFAULT_ABC_THRESHOLDS, xyz=DEFAULT_XYZ_THRESHOLDS):
    """One pass over SQL output rows.

    ``revenue_rows`` / ``demand_rows``: iterables of (key, month, value).  ABC uses
    the summed revenue, XYZ the monthly demand.  Returns
    {key: (abc_class, xyz_class, revenue, cv)} for every key with revenue or demand.
    """
    revenue = {}
    for key, _month, value in revenue_rows:
        revenue[key] = revenue.get(key, 0.0) + (value or 0.0)
    monthly = {}
    for key, month, value in demand_rows:
        monthly.setdefault(key, {})
        monthly[key][month] = monthly[key].get(month, 0.0) + (value or 0.0)
    abc_map = abc_classes(revenue, *abc)
    xyz_map = xyz_classes(monthly, months, *xyz)
    result = {}
    for key in set(abc_map) | set(xyz_map):
        xyz_value, cv = xyz_map.get(key, (None, None))
        result[key] = (abc_map.get(key), xyz_value, revenue.get(key, 0.0), cv)
    return result
