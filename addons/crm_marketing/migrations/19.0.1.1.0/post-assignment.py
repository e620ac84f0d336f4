"""Lead distribution capacity moves to Odoo's ``crm.team.member.assignment_max``.

``max_open_leads`` (open leads, 0 = no limit) is removed: where it was set, its
value becomes the member's capacity over 30 days; where it was 0, Odoo's own
capacity (default 30) stays. The column itself is dropped by Odoo at the end
of the update.
"""
from odoo.tools import SQL
from odoo.tools.sql import column_exists


def copy_max_open_leads(cr):
    if not column_exists(cr, "crm_team_member", "max_open_leads"):
        return 0
    cr.execute(SQL(
        "UPDATE crm_team_member SET assignment_max = max_open_leads "
        "WHERE max_open_leads > 0 AND assignment_max IS DISTINCT FROM max_open_leads"
    ))
    return cr.rowcount


def migrate(cr, version):
    if version:
        copy_max_open_leads(cr)
