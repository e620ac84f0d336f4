import pytest

import conftest

fc = conftest.load_tool("crm_marketing", "campaign_forecast")
H = fc.CampaignHistory


def test_no_comparable_history_gives_empty_forecast():
    res = fc.forecast_campaign([H(frozenset({"print"}), leads=10)], {"email"}, budget=100)
    assert res.based_on == 0
    assert res.leads == 0


def test_budget_driven_forecast_on_known_history():
    history = [
        H(frozenset({"email"}), leads=100, won=10, revenue=50000, cost=1000),
        H(frozenset({"email"}), leads=50, won=10, revenue=150000, cost=1000),
    ]
    res = fc.forecast_campaign(history, {"email"}, budget=4000)
    # 150 leads for 2000 spent -> 300 leads for 4000; win rate 20/150; deal 10000
    assert res.based_on == 2
    assert res.leads == pytest.approx(300)
    assert res.win_rate == pytest.approx(20 / 150)
    assert res.won == pytest.approx(40)
    assert res.average_deal == pytest.approx(10000)
    assert res.revenue == pytest.approx(400000)
    assert res.roi == pytest.approx((400000 - 4000) / 4000)


def test_similarity_weights_history():
    history = [
        H(frozenset({"email", "web"}), leads=100, won=10, revenue=10000),
        H(frozenset({"email", "print"}), leads=10, won=1, revenue=1000),
    ]
    res = fc.forecast_campaign(history, {"email", "web"})
    # weights 1 and 1/3
    assert res.leads == pytest.approx((100 + 10 / 3) / (4 / 3))


def test_audience_driven_forecast():
    history = [H(frozenset({"phone"}), leads=20, won=2, revenue=2000, audience=200)]
    res = fc.forecast_campaign(history, {"phone"}, audience=1000)
    assert res.leads == pytest.approx(100)
    assert res.won == pytest.approx(10)


def test_channel_similarity():
    assert fc.channel_similarity({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert fc.channel_similarity(set(), {"a"}) == 0.0
