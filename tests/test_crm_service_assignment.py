"""Assignment of tickets inside a team and article matching, without a database."""
import conftest

assignment = conftest.load_tool("crm_service", "assignment")
article_match = conftest.load_tool("crm_service", "article_match")


def test_round_robin_continues_after_last_assignee_and_wraps():
    assert assignment.round_robin([1, 2, 3], 2, count=4) == [3, 1, 2, 3]


def test_round_robin_unknown_last_starts_at_first():
    assert assignment.round_robin([5, 6], None, count=1) == [5]
    assert assignment.round_robin([5, 6], 99) == [5]
    assert assignment.round_robin([], 1) == []


def test_least_loaded_balances_and_breaks_ties_by_order():
    assert assignment.least_loaded([1, 2, 3], {1: 2, 2: 0, 3: 1}, count=3) == [2, 2, 3]
    assert assignment.least_loaded([1, 2], {}, count=3) == [1, 2, 1]


def test_assign_dispatch():
    assert assignment.assign("round_robin", [1, 2], last_assigned_id=1) == [2]
    assert assignment.assign("least_loaded", [1, 2], loads={1: 3}) == [2]
    assert assignment.assign("manual", [1, 2]) == []


def test_article_keywords_ignore_short_and_stop_words():
    assert article_match.keywords("How to reset the printer? Принтер не печатает") == {
        "reset", "printer", "принтер", "печатает",
    }


def test_article_ranking_uses_words_and_category():
    articles = [
        (1, "Reset the printer queue", 7),
        (2, "Printer paper jam", 8),
        (3, "Invoice reminders", 7),
    ]
    assert article_match.rank("printer queue stuck", 7, articles) == [1, 2]
    assert article_match.rank("paper printer", 8, articles) == [2, 1]
    assert article_match.rank("", 7, articles) == []
