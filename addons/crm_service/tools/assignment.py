"""Ticket assignment inside a service team (pure Python, no Odoo import)."""


def round_robin(member_ids, last_assigned_id, count=1):
    """Next ``count`` members after ``last_assigned_id``, cycling through ``member_ids``.

    ``member_ids`` is the team order; an unknown (or empty) last member starts
    from the first member.
    """
    members = list(member_ids)
    if not members or count <= 0:
        return []
    try:
        position = members.index(last_assigned_id) + 1
    except ValueError:
        position = 0
    return [members[(position + offset) % len(members)] for offset in range(count)]


def least_loaded(member_ids, loads, count=1):
    """Assign ``count`` tickets one by one to the member with the fewest open tickets.

    ``loads`` maps member id to the number of open tickets (missing = 0). Ties go
    to the member listed first. Returns the list of chosen members, in order.
    """
    members = list(member_ids)
    if not members or count <= 0:
        return []
    current = {member: loads.get(member, 0) for member in members}
    rank = {member: index for index, member in enumerate(members)}
    chosen = []
    for _ticket in range(count):
        member = min(members, key=lambda m: (current[m], rank[m]))
        chosen.append(member)
        current[member] += 1
    return chosen


def assign(method, member_ids, count=1, last_assigned_id=None, loads=None):
    """Dispatch on the team's assignment method (``round_robin`` / ``least_loaded``)."""
    if method == "round_robin":
        return round_robin(member_ids, last_assigned_id, count)
    if method == "least_loaded":
        return least_loaded(member_ids, loads or {}, count)
    return []
