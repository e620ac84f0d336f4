from odoo import api, fields, models


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    distribution_weight = fields.Float(
        default=1.0, help="Relative share of leads in capacity-based distribution (2 = twice as many).",
    )
    max_open_leads = fields.Integer(
        "Maximum Open Leads", help="Distribution stops giving leads past this number of open leads (0 = no limit).",
    )
    absent_from = fields.Date()
    absent_to = fields.Date()
    territory_country_ids = fields.Many2many("res.country", string="Territory Countries")
    territory_state_ids = fields.Many2many("res.country.state", string="Territory States")
    territory_cities = fields.Char(help="Comma-separated cities covered by this salesperson.")
    interest_tag_ids = fields.Many2many("crm.tag", string="Product Interests")
    language_ids = fields.Many2many(
        "res.lang", string="Languages", context={"active_test": False},
        help="Languages of leads this salesperson handles (empty: the user's own language).",
    )

    _distribution_weight_positive = models.Constraint(
        "CHECK(distribution_weight >= 0)", "A distribution weight cannot be negative.",
    )
    _max_open_leads_positive = models.Constraint(
        "CHECK(max_open_leads >= 0)", "A maximum of open leads cannot be negative.",
    )
    _absence_ordered = models.Constraint(
        "CHECK(absent_to IS NULL OR absent_from IS NULL OR absent_to >= absent_from)",
        "An absence cannot end before it starts.",
    )

    def _is_absent(self, day):
        self.ensure_one()
        if not self.absent_from and not self.absent_to:
            return False
        return (not self.absent_from or self.absent_from <= day) and (not self.absent_to or day <= self.absent_to)

    @api.model
    def _get_open_lead_domain(self):
        return [("won_status", "=", "pending"), ("active", "=", True)]
