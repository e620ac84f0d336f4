from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _crm_timeline_sources(self):
        sources = super()._crm_timeline_sources()
        sources["picking"] = self.env._("Deliveries")
        return sources

    def _crm_timeline_entries_picking(self, limit):
        pickings = self.env["stock.picking"].search([
            ("partner_id", "in", self.ids),
            ("picking_type_code", "=", "outgoing"),
            ("state", "!=", "cancel"),
        ], order="scheduled_date desc, id desc", limit=limit)
        states = dict(self.env["stock.picking"]._fields["state"]._description_selection(self.env))
        return [{
            "date": picking.date_done or picking.scheduled_date,
            "type": "picking",
            "name": picking.name,
            "description": self.env._(
                "%(state)s, %(origin)s", state=states.get(picking.state, picking.state), origin=picking.origin or ""),
            "res_model": "stock.picking",
            "res_id": picking.id,
            "user_id": picking.user_id.id,
        } for picking in pickings]
