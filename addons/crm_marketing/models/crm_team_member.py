from odoo import fields, models


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    # Odoo's assignment fields are the capacity of every distribution, Odoo's and ours: one definition
    assignment_max = fields.Integer(
        help="Leads this salesperson can receive over 30 days. The distribution rules give leads until "
        "the leads assigned to this member in the last 30 days (Leads (30 days): won, lost and archived "
        "included) reach this number; Odoo's automatic assignment gives about a thirtieth of it a day. "
        "0: no lead.",
    )
    assignment_optout = fields.Boolean(
        help="Neither Odoo's automatic assignment nor the distribution rules give leads to this salesperson.",
    )
    assignment_domain = fields.Char(
        help="Only leads matching this filter are given to this salesperson, by Odoo's automatic "
        "assignment and by the distribution rules.",
    )
    crm_distribution_weight = fields.Float(
        "Distribution Weight", default=1.0,
        help="Relative share of leads in capacity-based distribution (2 = twice as many), "
        "within the capacity.",
    )
    crm_absent_from = fields.Date("Absent From")
    crm_absent_to = fields.Date("Absent To")
    crm_territory_country_ids = fields.Many2many("res.country", string="Territory Countries")
    crm_territory_state_ids = fields.Many2many("res.country.state", string="Territory States")
    crm_territory_cities = fields.Char("Territory Cities", help="Comma-separated cities covered by this salesperson.")
    crm_interest_tag_ids = fields.Many2many("crm.tag", string="Product Interests")
    crm_language_ids = fields.Many2many(
        "res.lang", string="Languages", context={"active_test": False},
        help="Languages of leads this salesperson handles (empty: the user's own language).",
    )

    _distribution_weight_positive = models.Constraint(
        "CHECK(crm_distribution_weight >= 0)", "A distribution weight cannot be negative.",
    )
    _absence_ordered = models.Constraint(
        "CHECK(crm_absent_to IS NULL OR crm_absent_from IS NULL OR crm_absent_to >= crm_absent_from)",
        "An absence cannot end before it starts.",
    )

    def _is_absent(self, day):
        self.ensure_one()
        if not self.crm_absent_from and not self.crm_absent_to:
            return False
        return ((not self.crm_absent_from or self.crm_absent_from <= day)
                and (not self.crm_absent_to or day <= self.crm_absent_to))
