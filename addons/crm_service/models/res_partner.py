from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_service_ticket_count = fields.Integer(
        string="Tickets", compute="_compute_crm_service_ticket_count",
        groups="crm_service.group_crm_service_agent")

    def _compute_crm_service_ticket_count(self):
        """One grouped query for all partners (the partner form reads it on every opening): a company
        counts its contacts' tickets, a person those they asked (contact) or filed as the customer."""
        rows = self.env["crm.service.ticket"]._read_group(
            ["|", ("commercial_partner_id", "in", self.commercial_partner_id.ids), ("contact_id", "in", self.ids)],
            ["commercial_partner_id", "partner_id", "contact_id"], ["__count"])
        for partner in self:
            if partner.is_company:
                partner.crm_service_ticket_count = sum(
                    count for commercial, _customer, _contact, count in rows if commercial == partner)
            else:
                partner.crm_service_ticket_count = sum(
                    count for _commercial, customer, contact, count in rows
                    if contact == partner or (customer == partner and contact != partner))

    @api.readonly
    def action_view_crm_service_tickets(self):
        self.env["res.users"]._crm_service_check_group()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_service.action_crm_service_ticket")
        action["domain"] = [("commercial_partner_id", "=", self.id)] if self.is_company else [
            "|", ("contact_id", "=", self.id), ("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------ partner timeline (crm_core)

    def _crm_timeline_sources(self):
        sources = super()._crm_timeline_sources()
        sources["ticket"] = self.env._("Service Tickets")
        return sources

    def _crm_timeline_entries_ticket(self, limit):
        """Tickets of these partners and their contacts, newest first."""
        if not self.env["crm.service.ticket"].has_access("read"):
            return []
        partners = self.with_context(active_test=False).search([("id", "child_of", self.ids)])
        tickets = self.env["crm.service.ticket"].search(
            ["|", ("partner_id", "in", partners.ids), ("contact_id", "in", partners.ids)],
            order="date_open desc, id desc", limit=limit)
        return [{
            "date": ticket.date_open,
            "type": "ticket",
            "name": ticket.display_name,
            "description": self.env._(
                "%(stage)s, priority %(priority)s", stage=ticket.stage_id.name or "",
                priority=dict(ticket._fields["priority"]._description_selection(self.env))[ticket.priority]),
            "res_model": "crm.service.ticket",
            "res_id": ticket.id,
            "user_id": ticket.user_id.id or False,
        } for ticket in tickets]
