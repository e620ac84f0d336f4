from odoo import api, models
from odoo.fields import Command


class StockRule(models.Model):
    _inherit = "stock.rule"

    @api.model
    def _run_manufacture(self, procurements):
        """A sales order made to order takes over its deal's production proposals.

        Manufacturing orders a planner already confirmed or drafted for the deal
        become the order's procurement (its reference, sale line and delivery),
        and only the quantity they do not cover goes on to Odoo's own rule, so
        winning the deal never makes a second order for the same goods.
        """
        remaining = []
        for procurement, rule in procurements:
            quantity = procurement.product_qty
            if procurement.values.get("sale_line_id") and procurement.product_uom.compare(quantity, 0) > 0:
                quantity = rule._adopt_crm_production_proposals(procurement)
            if procurement.product_uom.compare(quantity, 0) > 0:
                remaining.append((procurement._replace(product_qty=quantity), rule))
        return super()._run_manufacture(remaining)

    def _adopt_crm_production_proposals(self, procurement):
        """Link the deal's open orders of the product to the procurement; return
        what is left to make, in the procurement's unit."""
        self.ensure_one()
        # sudo: procurements run for salespeople too (Odoo creates MTO orders as superuser)
        sale_line = self.env["sale.order.line"].sudo().browse(procurement.values["sale_line_id"])
        order = sale_line.order_id
        deal = order.opportunity_id
        # only a deal of the order's own customer and company: a salesperson naming another deal on
        # an order must not take that deal's manufacturing orders
        if (not deal or deal.partner_id.commercial_partner_id != order.partner_id.commercial_partner_id
                or deal.company_id not in (order.company_id, deal.browse())):
            return procurement.product_qty
        productions = self.env["mrp.production"].sudo().search([
            ("crm_lead_id", "=", deal.id),
            ("product_id", "=", procurement.product_id.id),
            ("company_id", "=", procurement.company_id.id),
            ("state", "in", ("draft", "confirmed", "progress", "to_close")),
            ("sale_line_id", "=", False),
        ], order="id").sorted(lambda mo: mo.state == "draft")  # the planner's committed orders first
        product_uom = procurement.product_id.uom_id
        missing = procurement.product_uom._compute_quantity(procurement.product_qty, product_uom)
        references = procurement.values.get("reference_ids") or self.env["stock.reference"]
        reference_links = [Command.link(reference.id) for reference in references]
        move_dests = procurement.values.get("move_dest_ids") or self.env["stock.move"]
        for production in productions:
            if product_uom.compare(missing, 0) <= 0:
                break
            if production.state == "draft" and product_uom.compare(production.product_uom_qty, missing) > 0:
                # a draft proposing more than the order needs is shrunk to the need
                production.product_qty = product_uom._compute_quantity(missing, production.product_uom_id)
            missing -= production.product_uom_qty
            production.write({
                "sale_line_id": sale_line.id,
                "origin": procurement.origin,
                "reference_ids": reference_links,
            })
            if production.state == "draft" and not move_dests.created_production_id:
                # a draft rebuilds its finished moves from these delivery moves
                production.move_dest_ids = [Command.link(move.id) for move in move_dests]
            (production.move_raw_ids | production.move_finished_ids).reference_ids = reference_links
            finished = production.move_finished_ids.filtered(lambda move, p=production: move.product_id == p.product_id)
            finished.move_dest_ids = [Command.link(move.id) for move in move_dests]
            if production.state != "draft":
                # what sale_mrp does when an order's own production is confirmed
                finished.sale_line_id = sale_line
            elif self._should_auto_confirm_procurement_mo(production):
                # confirmed like the order Odoo would have made for the sale
                production.action_confirm()
        return product_uom._compute_quantity(max(missing, 0.0), procurement.product_uom)
