from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class CrmLeadListWizard(models.TransientModel):
    """Generate a lead (or call) list for a campaign from a segment."""

    _name = "crm.lead.list.wizard"
    _description = "Generate Lead List"

    source = fields.Selection(
        [("segment", "Segment"), ("import", "Imported List")], default="segment", required=True,
        help="Imported List: the customers of a crm_core import (created, updated or matched as duplicates).",
    )
    segment_id = fields.Many2one("crm.segment")
    import_job_id = fields.Many2one("crm.import.job", "Import")
    campaign_id = fields.Many2one("utm.campaign", required=True)
    lead_type = fields.Selection([("lead", "Leads"), ("opportunity", "Opportunities")], default="lead", required=True)
    channel = fields.Selection(
        [("phone", "Call List (phone consent)"), ("email", "E-mail (e-mail consent)"), ("none", "No Channel Filter")],
        default="phone", required=True,
        help="Partners without consent for this channel, or blacklisted for it, are left out.",
    )
    team_id = fields.Many2one("crm.team")
    rule_id = fields.Many2one("crm.distribution.rule", "Distribute With")
    lead_name = fields.Char("Lead Title", help="Defaults to the campaign name.")

    def _get_source_partners(self):
        self.ensure_one()
        channel = None if self.channel == "none" else self.channel
        if self.source == "segment":
            if not self.segment_id:
                raise UserError(self.env._("Choose the segment to build the list from."))
            return self.segment_id._get_partners(channel=channel)
        if not self.import_job_id:
            raise UserError(self.env._("Choose the import to build the list from."))
        rows = self.env["crm.import.job.row"].search([
            ("job_id", "=", self.import_job_id.id), ("preview", "=", False),
        ])
        # the importer's duplicate control already matched known customers
        partners = rows.partner_id | rows.duplicate_of_id
        if channel:
            partners = partners.filtered_domain(self.env["res.partner"]._get_reachable_domain(channel))
        return partners

    def _get_target_partners(self):
        self.ensure_one()
        partners = self._get_source_partners()
        # sudo: duplicates must be detected among every salesperson's leads, not
        # only those the marketer may read; only their partners are used
        open_leads = self.env["crm.lead"].sudo().search(
            Domain("campaign_id", "=", self.campaign_id.id) & Domain("partner_id", "in", partners.ids)
            & Domain("won_status", "=", "pending")
        )
        return partners - open_leads.partner_id

    def action_generate(self):
        self.ensure_one()
        self.check_access("write")
        self.env["crm.lead"].check_access("create")
        partners = self._get_target_partners()
        if not partners:
            raise UserError(self.env._("Every partner of the segment is unreachable or already has an open lead."))
        title = self.lead_name or self.campaign_id.title
        leads = self.env["crm.lead"].create([
            {
                "name": f"{title}: {partner.display_name}",
                "type": self.lead_type,
                "partner_id": partner.id,
                "campaign_id": self.campaign_id.id,
                "team_id": self.team_id.id,
                "user_id": False,
            }
            for partner in partners
        ])
        if self.rule_id:
            self.rule_id._run_distribution(leads, commit=True)
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("id", "in", leads.ids)]
        action["context"] = {"create": False}
        return action
