"""Forecast a planned campaign from the results of earlier, finished ones.

Pure Python (no Odoo import) so it can be unit-tested without a database.

Each finished campaign contributes in proportion to how many channels it
shares with the planned one (Jaccard similarity of the channel sets):
a past e-mail + web campaign says more about a new e-mail + web campaign
than a past print campaign does, and a campaign without a common channel
says nothing at all.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CampaignHistory:
    """Actual results of one finished campaign."""

    channels: frozenset
    leads: int = 0
    won: int = 0
    revenue: float = 0.0
    cost: float = 0.0
    audience: int = 0


@dataclass(frozen=True)
class Forecast:
    based_on: int = 0
    leads: float = 0.0
    won: float = 0.0
    revenue: float = 0.0
    win_rate: float = 0.0
    average_deal: float = 0.0
    roi: float = 0.0


def channel_similarity(channels_a, channels_b):
    """Jaccard similarity of two channel collections (0.0 when either is empty)."""
    set_a, set_b = set(channels_a), set(channels_b)
    if not set_a or not set_b:
        return 0.0
    return len(set_a & set_b) / len(set_a | set_b)


def forecast_campaign(history, channels, budget=0.0, audience=0):
    """Forecast leads, won deals and revenue of a planned campaign.

    Leads are driven, in this order of preference, by the audience size
    (leads per targeted partner in the past), by the budget (leads per unit of
    cost in the past), or else by the weighted average number of leads.
    Won deals follow the weighted win rate (won / leads) and revenue the
    weighted average deal size (revenue / won).

    :param history: iterable of :class:`CampaignHistory`
    :param channels: channels of the planned campaign
    :param budget: planned budget of the planned campaign
    :param audience: number of partners targeted by the planned campaign
    :returns: :class:`Forecast` (all zero when no comparable campaign exists)
    """
    weighted = []
    for past in history:
        weight = channel_similarity(past.channels, channels)
        if weight > 0:
            weighted.append((weight, past))
    if not weighted:
        return Forecast()

    def wsum(attr):
        return sum(weight * getattr(past, attr) for weight, past in weighted)

    total_weight = sum(weight for weight, _past in weighted)
    w_leads, w_won, w_revenue = wsum("leads"), wsum("won"), wsum("revenue")
    w_cost, w_audience = wsum("cost"), wsum("audience")

    if audience and w_audience:
        leads = audience * w_leads / w_audience
    elif budget and w_cost:
        leads = budget * w_leads / w_cost
    else:
        leads = w_leads / total_weight
    win_rate = w_won / w_leads if w_leads else 0.0
    average_deal = w_revenue / w_won if w_won else 0.0
    won = leads * win_rate
    revenue = won * average_deal
    roi = (revenue - budget) / budget if budget else 0.0
    return Forecast(
        based_on=len(weighted),
        leads=leads,
        won=won,
        revenue=revenue,
        win_rate=win_rate,
        average_deal=average_deal,
        roi=roi,
    )
