import pytest

import conftest

dist = conftest.load_tool("crm_marketing", "distribution")
Seller, LeadInfo, distribute = dist.Seller, dist.LeadInfo, dist.distribute


def leads(count, **kw):
    return [LeadInfo(key=i, **kw) for i in range(count)]


def test_round_robin_cycles_and_persists_pointer():
    sellers = [Seller("a"), Seller("b"), Seller("c")]
    res = distribute(leads(4), sellers, "round_robin")
    assert [res.assignment[i] for i in range(4)] == ["a", "b", "c", "a"]
    assert res.next_index == 1
    res2 = distribute(leads(2), sellers, "round_robin", start_index=res.next_index)
    assert [res2.assignment[i] for i in range(2)] == ["b", "c"]


def test_round_robin_skips_absent_and_full_sellers():
    sellers = [Seller("a", absent=True), Seller("b", capacity=3, recent_count=2), Seller("c")]
    res = distribute(leads(4), sellers, "round_robin")
    assert res.counts == {"b": 1, "c": 3}
    assert "a" not in res.assignment.values()


def test_capacity_weights_and_limits():
    sellers = [Seller("big", weight=3), Seller("small", weight=1, capacity=2)]
    res = distribute(leads(8), sellers, "capacity")
    assert res.counts == {"big": 6, "small": 2}
    assert not res.unassigned


def test_capacity_counts_recent_leads_and_leaves_rest_unassigned():
    sellers = [Seller("a", capacity=5, recent_count=4), Seller("b", capacity=2)]
    res = distribute(leads(5), sellers, "capacity")
    assert res.counts == {"a": 1, "b": 2}
    assert len(res.unassigned) == 2


def test_territory_most_specific_match_wins():
    sellers = [
        Seller("country", countries=frozenset({"RU"})),
        Seller("state", states=frozenset({"MOW"})),
        Seller("city", cities=frozenset({dist.normalize_city("Санкт-Петербург")})),
    ]
    batch = [
        LeadInfo(1, country="RU", state="SPE", city="  санкт-петербург "),
        LeadInfo(2, country="RU", state="MOW", city="Москва"),
        LeadInfo(3, country="RU", state="NVS", city="Новосибирск"),
        LeadInfo(4, country="KZ", city="Алматы"),
    ]
    res = distribute(batch, sellers, "territory")
    assert res.assignment == {1: "city", 2: "state", 3: "country"}
    assert res.unassigned == [4]


def test_territory_fallback_round_robin():
    sellers = [Seller("a", countries=frozenset({"RU"})), Seller("b")]
    res = distribute([LeadInfo(1, country="KZ")], sellers, "territory", fallback="round_robin")
    assert res.assignment == {1: "a"}


def test_product_interest_balances_among_matching_sellers():
    sellers = [
        Seller("pumps1", interests=frozenset({"pumps"})),
        Seller("pumps2", interests=frozenset({"pumps", "valves"})),
        Seller("other", interests=frozenset({"boilers"})),
    ]
    res = distribute(leads(4, interests=frozenset({"pumps"})), sellers, "product")
    assert res.counts == {"pumps1": 2, "pumps2": 2}


def test_language_match_and_capacity():
    sellers = [Seller("ru", languages=frozenset({"ru_RU"}), capacity=1), Seller("en", languages=frozenset({"en_US"}))]
    res = distribute(leads(2, language="ru_RU"), sellers, "language")
    assert res.assignment == {0: "ru"}
    assert res.unassigned == [1]


def test_zero_capacity_takes_no_lead_and_none_is_unlimited():
    sellers = [Seller("zero", capacity=0), Seller("free", recent_count=500)]
    res = distribute(leads(3), sellers, "round_robin")
    assert res.counts == {"free": 3}


def test_seller_takes_only_the_leads_it_accepts():
    sellers = [Seller("a", accepts=frozenset({1, 3})), Seller("b", accepts=frozenset({2})), Seller("c")]
    for method in ("round_robin", "capacity"):
        res = distribute(leads(4), sellers, method)
        assert res.assignment[0] == "c", method
        assert res.assignment[2] in ("b", "c"), method
        assert "a" not in {res.assignment[0], res.assignment[2]}, method
        assert "b" not in {res.assignment[1], res.assignment[3]}, method
    res = distribute(leads(4, language="ru_RU"), [Seller("ru", languages=frozenset({"ru_RU"}),
                                                       accepts=frozenset({0}))], "language")
    assert res.assignment == {0: "ru"}
    assert res.unassigned == [1, 2, 3]


def test_no_sellers_leaves_everything_unassigned():
    res = distribute(leads(3), [], "round_robin")
    assert res.unassigned == [0, 1, 2]
    assert res.counts == {}


def test_unknown_method_rejected():
    with pytest.raises(ValueError):
        distribute([], [], "random")
