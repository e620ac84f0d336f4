from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import float_compare, float_is_zero

# changes of these fields may start, update or cancel a deal's production proposals
# (the expected closing date sets the order in which deals share the stock)
PROPOSAL_TRIGGER_FIELDS = {
    "probability", "active", "stage_id", "type", "company_id", "crm_deal_line_ids", "date_deadline"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    crm_production_ids = fields.One2many(
        "mrp.production", "crm_lead_id", string="Production Proposals",
        groups="mrp.group_mrp_user")
    crm_production_count = fields.Integer(
        string="Manufacturing Orders", compute="_compute_crm_production_count", compute_sudo=True)

    def _compute_crm_production_count(self):
        counts = dict(self.env["mrp.production"]._read_group(
            [("crm_lead_id", "in", self.ids), ("state", "!=", "cancel")],
            ["crm_lead_id"], ["__count"],
        ))
        for lead in self:
            lead.crm_production_count = counts.get(lead, 0)

    def write(self, vals):
        res = super().write(vals)
        if PROPOSAL_TRIGGER_FIELDS.intersection(vals):
            self._sync_production_proposals()
        return res

    def _crm_deal_lines_changed(self):
        res = super()._crm_deal_lines_changed()
        self._sync_production_proposals()
        return res

    @api.model
    def _get_production_proposal_probability(self):
        return self.env["res.config.settings"]._crm_get_setting("crm_production_proposal_probability")

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
        lines = self.crm_deal_line_ids.filtered(lambda line: line.product_uom_qty > 0)
        manufactured = self._get_manufactured_products(lines.product_id, company)
        for line in lines:
            if line.product_id in manufactured:
                quantities[line.product_id] += line.product_uom_id._compute_quantity(
                    line.product_uom_qty, line.product_id.uom_id)
        return quantities, manufactured

    def _get_covered_quantities(self):
        """What the deals' manufacturing orders already cover, {lead id: {product: quantity}}, and what of it is
        done, in the product's unit: every order but cancelled ones and the proposals (drafts the deal still
        resizes, see ``mrp.production._is_crm_production_proposal``)."""
        # sudo: sums over the deals' own orders, salespeople cannot read manufacturing
        groups = self.env["mrp.production"].sudo()._read_group(
            Domain("crm_lead_id", "in", self.ids) & Domain("state", "!=", "cancel")
            & (Domain("state", "!=", "draft") | Domain("sale_line_id", "!=", False)),
            ["crm_lead_id", "product_id", "state"], ["product_uom_qty:sum"])
        covered = defaultdict(lambda: defaultdict(float))
        done = defaultdict(lambda: defaultdict(float))
        for lead, product, state, quantity in groups:
            covered[lead.id][product] += quantity
            if state == "done":
                done[lead.id][product] += quantity
        return covered, done

    def _get_stock_shares(self, threshold):
        """The free stock each deal counts on, for the manufactured products of the deals of ``self``.

        Returns ({(lead id, product): quantity in the product's unit}, the deals sharing that stock).
        Available stock is Odoo's free quantity (on hand minus reserved, ``free_qty``) in the
        warehouses of the deal's company. Open deals wanting proposals share it in order of expected
        closing date (deals without one last), then id: each takes what its manufacturing orders do
        not cover while stock lasts, so two deals never count the same units. What done orders of
        these deals made stays theirs and is not shared again. Stock is read when a deal changes: a
        receipt or a delivery alone does not resize proposals, the next change of a deal does.
        """
        shares = {}
        # sudo: reads stock, routes and other deals' quantities; only proposal sizes come out of it
        leads = self.sudo()
        sharing = leads.browse()
        for company, company_leads in leads.grouped(lambda lead: lead.company_id or self.env.company).items():
            manufactured = leads._get_manufactured_products(company_leads.crm_deal_line_ids.product_id, company)
            if not manufactured:
                continue
            warehouses = self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)])
            products = self.env["product.product"].sudo().with_context(warehouse_id=warehouses.ids).browse(
                [product.id for product in manufactured])
            # read afresh: quants moved since the last read do not invalidate the computed quantity
            products.invalidate_recordset(["free_qty"])
            pool = {product: product.free_qty for product in products
                    if product.uom_id.compare(product.free_qty, 0) > 0}
            if not pool:
                continue
            stocked = products.browse([product.id for product in pool])
            rivals = leads.search([
                ("type", "=", "opportunity"), ("won_status", "=", "pending"), ("probability", ">=", threshold),
                ("company_id", "=", company.id), ("crm_deal_line_ids.product_id", "in", stocked.ids),
            ])
            rivals = (rivals | company_leads.filtered(lambda lead: lead._is_production_proposal_wanted(threshold)))
            rivals = rivals.sorted(lambda lead: (lead.date_deadline or date.max, lead.id))
            sharing |= rivals
            wanted = defaultdict(lambda: defaultdict(float))
            for lead, product, uom, quantity in self.env["crm.deal.line"].sudo()._read_group(
                    [("lead_id", "in", rivals.ids), ("product_id", "in", stocked.ids), ("product_uom_qty", ">", 0)],
                    ["lead_id", "product_id", "product_uom_id"], ["product_uom_qty:sum"]):
                wanted[lead.id][product] += uom._compute_quantity(quantity, product.uom_id)
            covered, done = rivals._get_covered_quantities()
            pool = {product.id: quantity - sum(done[lead.id][product] for lead in rivals)
                    for product, quantity in pool.items()}
            for lead in rivals:
                for product, quantity in wanted[lead.id].items():
                    share = min(quantity - covered[lead.id][product], pool[product.id])
                    if product.uom_id.compare(share, 0) > 0:
                        shares[lead.id, product] = share
                        pool[product.id] -= share
        return shares, sharing

    def _sync_production_proposals(self):
        """Create, resize or cancel the draft manufacturing orders of the deals.

        Proposals cover only what the deal's other manufacturing orders and the
        available stock do not: orders a planner confirmed (or that are already
        running or done) and drafts a sales order took over count as made, so
        confirming a proposal, changing lines or moving the deal back and forth
        never proposes the same quantity twice; the deal's share of the free
        stock (see _get_stock_shares) is not proposed either. The deals sharing
        that stock are resized with them, as their shares change.
        """
        threshold = self._get_production_proposal_probability()
        # first the deals that share the stock of these deals' products, then
        # the shares of all their products: each deal resized counts its share
        _shares, sharing = self._get_stock_shares(threshold)
        leads = self.sudo() | sharing
        shares, _sharing = leads._get_stock_shares(threshold)
        # sudo: salespeople drive proposals through their own deal; the orders
        # stay drafts planners review, made only from the deals' own lines.
        productions = self.env["mrp.production"].sudo().search([
            ("crm_lead_id", "in", leads.ids), ("state", "!=", "cancel"),
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
        for lead in leads:
            drafts = drafts_by_lead[lead.id]
            if not drafts and not lead.crm_deal_line_ids:
                continue
            wanted, manufactured = {}, {}
            if lead._is_production_proposal_wanted(threshold):
                # sudo: reads bills of materials and routes, configuration salespeople cannot read
                wanted, manufactured = lead.sudo()._get_wanted_production_quantities()
            for product, quantity in covered_by_lead[lead.id].items():
                if product in wanted:
                    wanted[product] = max(wanted[product] - quantity, 0.0)
            for product in wanted:
                wanted[product] = max(wanted[product] - shares.get((lead.id, product), 0.0), 0.0)
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

    @api.readonly
    def action_view_crm_productions(self):
        self.ensure_one()
        self.check_access("read")
        self.env["mrp.production"].check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("mrp.mrp_production_action")
        action["domain"] = [("crm_lead_id", "=", self.id)]
        action["context"] = {"default_crm_lead_id": self.id, "search_default_filter_draft": 1}
        return action
