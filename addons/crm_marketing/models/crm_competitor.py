from odoo import api, fields, models


class CrmCompetitor(models.Model):
    _name = "crm.competitor"
    _description = "Competitor"
    _inherit = ["mail.thread"]
    _order = "name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one("res.partner", "Company Card", help="The competitor's organisation, if recorded.")
    website = fields.Char()
    notes = fields.Html()
    strengths = fields.Text()
    weaknesses = fields.Text()
    product_names = fields.Text("Their Products", help="Product lines the competitor sells.")
    price_ids = fields.One2many("crm.competitor.price", "competitor_id", string="Observed Prices")
    price_count = fields.Integer(compute="_compute_counts")
    lead_count = fields.Integer("Deals", compute="_compute_counts")
    lost_count = fields.Integer("Deals Lost To", compute="_compute_counts")

    _name_unique = models.Constraint("UNIQUE(name)", "A competitor with this name already exists.")

    @api.depends("price_ids")
    def _compute_counts(self):
        prices = dict(self.env["crm.competitor.price"]._read_group(
            [("competitor_id", "in", self.ids)], ["competitor_id"], ["__count"],
        ))
        # aggregates only: salespeople's deals are counted, not exposed
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        deals = dict(Lead._read_group([("crm_competitor_ids", "in", self.ids)], ["crm_competitor_ids"], ["__count"]))
        lost = dict(Lead._read_group(
            [("crm_lost_competitor_id", "in", self.ids)], ["crm_lost_competitor_id"], ["__count"]))
        for competitor in self:
            competitor.price_count = prices.get(competitor, 0)
            competitor.lead_count = deals.get(competitor, 0)
            competitor.lost_count = lost.get(competitor, 0)

    @api.readonly
    def action_view_prices(self):
        self.ensure_one()
        self.check_access("read")
        self.env["crm.competitor.price"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_marketing.crm_competitor_price_action")
        action["domain"] = [("competitor_id", "=", self.id)]
        action["context"] = {"default_competitor_id": self.id}
        return action

    @api.readonly
    def action_view_leads(self):
        self.ensure_one()
        self.check_access("read")
        self.env["crm.lead"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = ["|", ("crm_competitor_ids", "in", self.ids), ("crm_lost_competitor_id", "in", self.ids)]
        action["context"] = {"active_test": False, "create": False}
        return action
