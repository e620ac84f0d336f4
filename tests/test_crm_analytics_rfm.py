"""RFM quintile scores and segments worked out by hand."""
import conftest

rfm = conftest.load_tool("crm_analytics", "rfm")


def test_quintiles_of_five_distinct_values():
    scores = rfm.quintile_scores({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    assert scores == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}


def test_recency_fewer_days_is_better_and_ties_share_a_score():
    scores = rfm.quintile_scores({"a": 5, "b": 5, "c": 100, "d": 400}, higher_is_better=False)
    # sorted worst first: 400, 100, 5, 5 -> below counts 0, 1, 2, 2 of 4
    assert scores == {"d": 1, "c": 2, "a": 3, "b": 3}


def test_segments_cover_every_score_combination():
    names = {code for code, _label in rfm.SEGMENTS}
    for r in range(1, 6):
        for f in range(1, 6):
            for m in range(1, 6):
                assert rfm.segment(r, f, m) in names
    assert rfm.segment(5, 5, 5) == "champions"
    assert rfm.segment(3, 4, 1) == "loyal"
    assert rfm.segment(5, 1, 1) == "new"
    assert rfm.segment(4, 2, 3) == "potential_loyalist"
    assert rfm.segment(1, 5, 5) == "at_risk"
    assert rfm.segment(2, 1, 1) == "hibernating"
    assert rfm.segment(1, 1, 1) == "lost"


def test_rfm_scores_of_five_customers():
    rows = [
        ("ann", 3, 10, 5000.0),
        ("bob", 30, 6, 3000.0),
        ("cid", 90, 3, 800.0),
        ("dan", 200, 2, 200.0),
        ("eve", 400, 1, 100.0),
    ]
    result = rfm.rfm_scores(rows)
    assert result["ann"] == (5, 5, 5, "champions")
    assert result["bob"] == (4, 4, 4, "champions")
    assert result["cid"] == (3, 3, 3, "loyal")
    assert result["dan"] == (2, 2, 2, "hibernating")
    assert result["eve"] == (1, 1, 1, "lost")
