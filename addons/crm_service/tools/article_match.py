"""Knowledge-base suggestions by simple word matching (pure Python, no Odoo import)."""
import re

WORD_RE = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
STOPWORDS = frozenset(
    """the and for with not are was but you your our has have how why what when from this that
    does doesn can cannot into after before about please help problem issue
    как что это для при или его она они нет все так уже еще без над под про
    мой наш ваш где когда почему после перед очень можно нельзя помогите""".split()
)


def keywords(text):
    """Lower-case words of at least three letters, without stop words."""
    return {word for word in WORD_RE.findall((text or "").lower()) if word not in STOPWORDS}


def score(query_words, article_words, same_category=False):
    """Number of shared words, plus a bonus of 2 when the category matches.

    An article sharing no word scores 0 even in the same category: the category
    alone says too little.
    """
    shared = len(query_words & article_words)
    if not shared:
        return 0
    return shared + (2 if same_category else 0)


def rank(subject, category_id, articles, limit=5):
    """Best articles for a ticket subject.

    ``articles`` is an iterable of ``(article_id, text, category_id)``; returns
    article ids, best first (ties: lower id first), only those scoring > 0.
    """
    query = keywords(subject)
    if not query:
        return []
    scored = []
    for article_id, text, article_category in articles:
        value = score(query, keywords(text), bool(category_id) and article_category == category_id)
        if value > 0:
            scored.append((-value, article_id))
    scored.sort()
    return [article_id for _value, article_id in scored[:limit]]
