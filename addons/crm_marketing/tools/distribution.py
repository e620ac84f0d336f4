"""Rule-based distribution of leads among salespeople.

Pure Python (no Odoo import): the Odoo side turns leads and team members into
:class:`LeadInfo` / :class:`Seller`, calls :func:`distribute` once, and then
writes the result grouped by salesperson.

Methods
-------
``round_robin``
    each available seller in turn, skipping absent or full ones;
``capacity``
    the seller with the lowest load relative to their weight
    (load = leads assigned in the last 30 days + leads given in this run);
``territory``
    sellers covering the lead's city, else its state, else its country
    (the most specific match wins), balanced by weighted load;
``product``
    sellers sharing at least one product interest with the lead;
``language``
    sellers speaking the lead's language.

Every method respects absences, each seller's capacity (at most ``capacity``
leads assigned over 30 days, ``recent_count`` of them already given: Odoo's
``assignment_max`` and ``lead_month_count``) and the leads a seller accepts
(``accepts``: Odoo's ``assignment_domain``). Leads no seller can take stay
unassigned, or go to the ``fallback`` method.
"""

from dataclasses import dataclass, field

METHODS = ("round_robin", "capacity", "territory", "product", "language")


@dataclass
class Seller:
    key: object
    weight: float = 1.0
    capacity: object = None  # leads over 30 days; None = no limit, 0 = no lead at all
    recent_count: int = 0  # leads already assigned in the last 30 days
    accepts: object = None  # frozenset of the lead keys this seller may take; None = any lead
    absent: bool = False
    countries: frozenset = frozenset()
    states: frozenset = frozenset()
    cities: frozenset = frozenset()  # normalized with normalize_city()
    interests: frozenset = frozenset()
    languages: frozenset = frozenset()


@dataclass
class LeadInfo:
    key: object
    country: object = None
    state: object = None
    city: str = ""
    interests: frozenset = frozenset()
    language: object = None


@dataclass
class DistributionResult:
    assignment: dict = field(default_factory=dict)  # lead key -> seller key
    unassigned: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # seller key -> leads given
    next_index: int = 0  # round-robin pointer to persist for the next run


def normalize_city(city):
    return " ".join((city or "").split()).casefold()


class _Pool:
    """Loads and capacities of the available sellers during one run."""

    def __init__(self, sellers):
        self.sellers = [s for s in sellers if not s.absent and s.weight > 0]
        self.given = {s.key: 0 for s in self.sellers}

    def has_room(self, seller, lead):
        if seller.accepts is not None and lead.key not in seller.accepts:
            return False
        return seller.capacity is None or seller.recent_count + self.given[seller.key] < seller.capacity

    def load(self, seller):
        return (seller.recent_count + self.given[seller.key]) / seller.weight

    def least_loaded(self, candidates, lead):
        best, best_load = None, None
        for seller in candidates:
            if not self.has_room(seller, lead):
                continue
            load = self.load(seller)
            if best is None or load < best_load:
                best, best_load = seller, load
        return best

    def give(self, seller):
        self.given[seller.key] += 1


def _index(sellers, attr):
    index = {}
    for seller in sellers:
        for value in getattr(seller, attr):
            index.setdefault(value, []).append(seller)
    return index


def distribute(leads, sellers, method, fallback=None, start_index=0):
    """Assign ``leads`` to ``sellers`` with ``method``.

    :param leads: iterable of :class:`LeadInfo`, in priority order
    :param sellers: iterable of :class:`Seller`, in round-robin order
    :param method: one of :data:`METHODS`
    :param fallback: ``None``, ``"round_robin"`` or ``"capacity"`` for leads
        the matching methods (territory, product, language) cannot place
    :param start_index: round-robin pointer from the previous run
    :returns: :class:`DistributionResult`
    """
    if method not in METHODS:
        raise ValueError(f"Unknown distribution method {method!r}")
    if fallback not in (None, "round_robin", "capacity"):
        raise ValueError(f"Unknown fallback {fallback!r}")
    pool = _Pool(sellers)
    result = DistributionResult(next_index=start_index)
    count = len(pool.sellers)
    pointer = start_index % count if count else 0

    def round_robin(lead):
        nonlocal pointer
        for step in range(count):
            seller = pool.sellers[(pointer + step) % count]
            if pool.has_room(seller, lead):
                pointer = (pointer + step + 1) % count
                return seller
        return None

    def by_capacity(lead):
        return pool.least_loaded(pool.sellers, lead)

    if method in ("territory", "product", "language"):
        by_country = _index(pool.sellers, "countries")
        by_state = _index(pool.sellers, "states")
        by_city = _index(pool.sellers, "cities")
        by_interest = _index(pool.sellers, "interests")
        by_language = _index(pool.sellers, "languages")

    def matching(lead):
        if method == "territory":
            for candidates in (
                by_city.get(normalize_city(lead.city)) if lead.city else None,
                by_state.get(lead.state) if lead.state else None,
                by_country.get(lead.country) if lead.country else None,
            ):
                seller = pool.least_loaded(candidates or (), lead)
                if seller:
                    return seller
            return None
        if method == "product":
            candidates = {}
            for interest in lead.interests:
                for seller in by_interest.get(interest, ()):
                    candidates[seller.key] = seller
            return pool.least_loaded(candidates.values(), lead)
        return pool.least_loaded(by_language.get(lead.language, ()) if lead.language else (), lead)

    primary = {"round_robin": round_robin, "capacity": by_capacity}.get(method, matching)
    secondary = {"round_robin": round_robin, "capacity": by_capacity}.get(fallback)
    for lead in leads:
        seller = primary(lead)
        if seller is None and secondary is not None and primary is matching:
            seller = secondary(lead)
        if seller is None:
            result.unassigned.append(lead.key)
            continue
        pool.give(seller)
        result.assignment[lead.key] = seller.key
    result.counts = {key: given for key, given in pool.given.items() if given}
    result.next_index = pointer
    return result
