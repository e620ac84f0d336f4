from odoo import models
from odoo.addons.crm_core.wizard.privacy_lookup_wizard import WRITTEN_MESSAGE_TYPES
from odoo.fields import Domain


class PrivacyLookupWizard(models.TransientModel):
    """Service's share of a person's data: tickets (contact fields, description, their messages)
    and service agreements (kept: contracts)."""

    _inherit = "privacy.lookup.wizard"

    def _crm_privacy_sources(self, persons):
        sources = super()._crm_privacy_sources(persons)
        env, ids, emails = self.env, persons.ids, self._crm_privacy_emails(persons)
        # the address alone, "Name" <address> too; never a longer address containing it
        by_email = self._crm_privacy_email_records("crm.service.ticket", "email_from", emails)
        # sudo: the caller passed _crm_privacy_check_access; the tickets are the person's own
        tickets = env["crm.service.ticket"].sudo().with_context(active_test=False).search(
            Domain("partner_id", "in", ids) | Domain("contact_id", "in", ids) | Domain("id", "in", by_email.ids))
        # other people's tickets with the person in copy: only the address is theirs
        cc_tickets = self._crm_privacy_email_records("crm.service.ticket", "email_cc", emails, address_list=True)
        sources += [{
            "key": "ticket",
            "label": env._("Tickets"),
            "model": "crm.service.ticket",
            "domain": Domain("id", "in", tickets.ids),
            "fields": ["number", "name", "partner_id", "contact_id", "email_from", "channel", "serial_number",
                       "stage_id", "date_open", "closed_date", "description"],
            "anonymize": {"email_from": False, "description": False},
        }, {
            "key": "ticket_cc",
            "label": env._("Tickets in Copy"),
            "model": "crm.service.ticket",
            "domain": Domain("id", "in", cc_tickets.ids),
            "fields": ["number", "name", "email_cc"],
            "anonymize": lambda records: self._crm_privacy_remove_addresses(records, "email_cc", emails),
        }, {
            # everything written on the person's tickets, by them or by agents answering them
            "key": "ticket_message",
            "label": env._("Ticket Messages"),
            "model": "mail.message",
            "domain": Domain("model", "=", "crm.service.ticket") & Domain("res_id", "in", tickets.ids)
            & Domain("message_type", "in", WRITTEN_MESSAGE_TYPES),
            "fields": ["date", "res_id", "message_type", "author_id", "email_from", "subject", "body"],
            "anonymize": {"body": "", "subject": False, "email_from": False},
        }, {
            "key": "agreement",
            "label": env._("Service Agreements"),
            "model": "crm.service.agreement",
            "domain": Domain("partner_id", "in", ids),
            "fields": ["name", "partner_id", "date_start", "date_end", "sla_tier_id", "state"],
            "anonymize": None,  # contracts are kept; their partner is anonymized
        }]
        return sources
