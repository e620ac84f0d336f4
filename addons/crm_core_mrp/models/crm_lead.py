from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_compare, float_is_zero

PROBABILITY_PARAM = "crm_core_mrp.production_proposal_probability"
DEFAULT_PROBABILITY = 70.0
# changes of these fields may start, update or cancel a deal's production proposals
PROPOSAL_TRIGGER_FIELDS = {"probability", "active", "stage_id", "type", "company_id", "lead_line_ids"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    production_ids = fields.One2many(
        "mrp.production", "crm_lead_id", string="Production Proposals",
        groups="mrp.group_mrp_user")
    production_count = fields.Integer(
        string="Manufacturing Orders", compute="_compute_production_count", compute_sudo=True)

    def _compute_production_count(self):
        counts = dict(self.env["mrp.production"]._read_group(
            [("crm_lead_id", "in", self.ids), ("state", "!=", "cancel")],
            ["crm_lead_id"], ["__count"],
        ))
        for lead in self:
            lead.production_count = counts.get(lead, 0)

    def write(self, vals):
        res = super().write(vals)
        if PROPOSAL_TRIGGER_FIELDS.intersection(vals):
            self._sync_production_proposals()
        return res

    def _crm_lead_lines_changed(self):
        res = super()._crm_lead_lines_changed()
        self._sync_production_proposals()
        return res

    @api.model
    def _get_production_proposal_probability(self):
        # sudo: reads one configuration flag, parameters are admin-only records
        value = self.env["ir.config_parameter"].sudo().get_param(PROBABILITY_PARAM)
        try:
            return float(value) if value else DEFAULT_PROBABILITY
        except ValueError:
            return DEFAULT_PROBABILITY

    def _is_production_proposal_wanted(self, threshold):
        """Open opportunities that became probable; won deals are served by their orders' routes."""
        self.ensure_one()
        return (
            self.active
            and self.type == "opportunity"
            and self.won_status == "pending"
            and self.probability >= threshold
        )

    def _get_manufactured_products(self, products, company):
        """Products with a BoM that the company's warehouse manufactures: the
        manufacture route is on the product, its category or the warehouse."""
        boms = self.env["mrp.bom"]._bom_find(products, company_id=company.id, bom_type="normal")
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        manufacture_route = warehouse.manufacture_pull_id.route_id
        result = {}
        for product in products:
            routes = product.route_ids | product.categ_id.total_route_ids | warehouse.route_ids
            if boms.get(product) and manufacture_route in routes:
                result[product] = (boms[product], warehouse)
        return result

    def _get_wanted_production_quantities(self):
        """{product: quantity in product unit} of the deal's manufactured products."""
        self.ensure_one()
        company = self.company_id or self.env.company
        quantities = defaultdict(float)
        lines = self.lead_line_ids.filtered(lambda line: line.product_uom_qty > 0)
        manufactured = self._get_manufactured_products(lines.product_id, company)
        for line in lines:
            if line.product_id in manufactured:
                quantities[line.product_id] += line.product_uom_id._compute_quantity(
                    line.product_uom_qty, line.product_id.uom_id)
        return quantities, manufactured

    def _sync_production_proposals(self):
        """Create, resize or cancel the draft manufacturing orders of the deals.

        Proposals cover only what the deal's other manufacturing orders do not:
        orders a planner confirmed (or that are already running or done) and
        drafts a sales order took over count as made, so confirming a proposal,
        changing lines or moving the deal back and forth never proposes the
        same quantity twice. Free stock is not deducted: it is not reserved
        for the deal and other deals or orders may take it.
        """
        threshold = self._get_production_proposal_probability()
        # sudo: salespeople drive proposals through their own deal; the orders
        # stay drafts planners review, made only from the deal's own lines.
        productions = self.env["mrp.production"].sudo().search([
            ("crm_lead_id", "in", self.ids), ("state", "!=", "cancel"),
        ], order="id")
        # sudo: empty recordsets to collect the drafts found above
        drafts_by_lead = defaultdict(lambda: self.env["mrp.production"].sudo())
        covered_by_lead = defaultdict(lambda: defaultdict(float))
        for production in productions:
            if production._is_crm_production_proposal():
                drafts_by_lead[production.crm_lead_id.id] |= production
            else:
                covered_by_lead[production.crm_lead_id.id][production.product_id] += production.product_uom_qty
        # sudo: drafts of these deals only, cancelled when the deal no longer wants them
        to_cancel = self.env["mrp.production"].sudo()
        to_create = []
        for lead in self:
            drafts = drafts_by_lead[lead.id]
            if not drafts and not lead.lead_line_ids:
                continue
            wanted, manufactured = {}, {}
            if lead._is_production_proposal_wanted(threshold):
                # sudo: reads bills of materials and routes, configuration salespeople cannot read
                wanted, manufactured = lead.sudo()._get_wanted_production_quantities()
            for product, quantity in covered_by_lead[lead.id].items():
                if product in wanted:
                    wanted[product] = max(wanted[product] - quantity, 0.0)
            for product, product_drafts in drafts.grouped("product_id").items():
                # quantities in the product's unit; a draft is kept while it fits,
                # shrunk when it proposes too much, the last one takes the rest
                missing = wanted.pop(product, 0.0)
                rounding = product.uom_id.rounding
                for production in product_drafts:
                    if float_is_zero(missing, precision_rounding=rounding):
                        to_cancel |= production
                        continue
                    quantity = missing if production == product_drafts[-1] else min(
                        production.product_uom_qty, missing)
                    missing -= quantity
                    if float_compare(production.product_uom_qty, quantity, precision_rounding=rounding):
                        production.product_qty = product.uom_id._compute_quantity(
                            quantity, production.product_uom_id)
            company = lead.company_id or self.env.company
            for product, quantity in wanted.items():
                if float_is_zero(quantity, precision_rounding=product.uom_id.rounding):
                    continue
                bom, warehouse = manufactured[product]
                to_create.append({
                    "product_id": product.id,
                    "product_qty": quantity,
                    "product_uom_id": product.uom_id.id,
                    "bom_id": bom.id,
                    "company_id": company.id,
                    "picking_type_id": warehouse.manu_type_id.id,
                    "origin": lead.name,
                    "crm_lead_id": lead.id,
                })
        if to_cancel:
            to_cancel.action_cancel()
        if to_create:
            # sudo: draft orders built only from the deals' own lines (see above)
            self.env["mrp.production"].sudo().create(to_create)

    def action_view_crm_productions(self):
        self.ensure_one()
        self.check_access("read")
        self.env["mrp.production"].check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("mrp.mrp_production_action")
        action["domain"] = [("crm_lead_id", "=", self.id)]
        action["context"] = {"default_crm_lead_id": self.id, "search_default_filter_draft": 1}
        return action
