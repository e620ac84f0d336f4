"""ABC/XYZ classification worked out by hand."""
import pytest

import conftest

abc_xyz = conftest.load_tool("crm_analytics", "abc_xyz")


def test_abc_uses_the_cumulative_share_before_each_item():
    # total 100: a=50 (before 0 -> A), b=30 (before 50 -> A), c=10 (before 80 -> B),
    # d=6 (before 90 -> B), e=4 (before 96 -> C)
    values = {"a": 50, "b": 30, "c": 10, "d": 6, "e": 4, "zero": 0}
    assert abc_xyz.abc_classes(values) == {"a": "A", "b": "A", "c": "B", "d": "B", "e": "C"}


def test_abc_thresholds_are_configurable_and_the_biggest_is_always_a():
    values = {"big": 90, "small": 10}
    assert abc_xyz.abc_classes(values, 50, 30) == {"big": "A", "small": "C"}
    assert abc_xyz.abc_classes({}) == {}


def test_coefficient_of_variation_is_population_based():
    # mean 10, deviations +-2 -> std 2 -> 20 %
    assert abc_xyz.coefficient_of_variation([8, 12, 8, 12]) == pytest.approx(20.0)
    assert abc_xyz.coefficient_of_variation([0, 0]) is None


def test_xyz_counts_missing_months_as_zero():
    monthly = {
        "steady": {1: 10, 2: 10, 3: 10, 4: 10},          # cv 0 -> X
        "wobbly": {1: 8, 2: 12, 3: 8, 4: 12},            # cv 20 -> Y
        "rare": {1: 40},                                  # 40,0,0,0: mean 10, std 17.32 -> Z
        "none": {},
    }
    result = abc_xyz.xyz_classes(monthly, 4)
    assert {key: value[0] for key, value in result.items()} == {"steady": "X", "wobbly": "Y", "rare": "Z"}
    assert result["rare"][1] == pytest.approx(173.205, rel=1e-3)


def test_classify_combines_revenue_and_demand():
    revenue = [("p", 1, 60.0), ("p", 2, 40.0), ("q", 1, 10.0)]
    demand = [("p", 1, 5.0), ("p", 2, 5.0), ("q", 1, 3.0)]
    result = abc_xyz.classify(revenue, demand, 2)
    assert result["p"][:3] == ("A", "X", 100.0)
    assert result["q"][:2] == ("B", "Z")  # 100 of 110 before it = 90.9 % < 95 %


def test_moments_give_the_same_classes_as_the_monthly_series():
    monthly = {"a": {1: 600, 2: 600, 3: 600}, "b": {1: 400, 2: 600, 3: 500}, "c": {1: 100}, "d": {2: 200, 3: 200}}
    rows = [(key, sum(m.values()), sum(m.values()), sum(v * v for v in m.values())) for key, m in monthly.items()]
    by_moments = abc_xyz.classify_moments(rows, 3)
    by_series = abc_xyz.classify([(k, mo, v) for k, m in monthly.items() for mo, v in m.items()],
                                 [(k, mo, v) for k, m in monthly.items() for mo, v in m.items()], 3)
    assert {k: v[:2] for k, v in by_moments.items()} == {k: v[:2] for k, v in by_series.items()}
    assert by_moments["b"][3] == pytest.approx(16.33, rel=1e-3)
    assert abc_xyz.cv_from_moments(0, 0, 3) is None
