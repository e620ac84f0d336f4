from odoo import models
from odoo.fields import Command, Domain


class PrivacyLookupWizard(models.TransientModel):
    """Marketing's share of a person's data: segment membership, mailing contacts, mailing traces
    and the campaign of the leads made from lists (consents live on the contact, see crm_core)."""

    _inherit = "privacy.lookup.wizard"

    def _crm_privacy_sources(self, persons):
        sources = super()._crm_privacy_sources(persons)
        env, ids, emails = self.env, persons.ids, self._crm_privacy_emails(persons)
        for source in sources:
            if source["key"] == "lead":
                # leads made by the lead list wizard: which campaign reached the person
                source["fields"] = source["fields"] + ["campaign_id", "source_id", "medium_id"]
        trace_domain = Domain("model", "=", "res.partner") & Domain("res_id", "in", ids)
        if emails:
            trace_domain |= Domain("email", "in", emails)  # normalized by mass_mailing
        sources += [{
            "key": "segment",
            "label": env._("Segments"),
            "model": "crm.segment",
            "domain": Domain("partner_ids", "in", ids),
            "fields": ["name", "mode", "frozen_date"],
            "anonymize": {"partner_ids": [Command.unlink(partner_id) for partner_id in ids]},
        }, {
            "key": "mailing_contact",
            "label": env._("Mailing Contacts"),
            "model": "mailing.contact",
            "domain": Domain("email_normalized", "in", emails) if emails else Domain.FALSE,
            "fields": ["name", "email", "company_name", "country_id", "list_ids", "opt_out"],
            "anonymize": {"name": env._("Anonymized contact"), "first_name": False, "last_name": False,
                          "email": False, "company_name": False},
        }, {
            "key": "mailing_trace",
            "label": env._("Mailings Sent"),
            "model": "mailing.trace",
            "domain": trace_domain,
            "fields": ["mass_mailing_id", "campaign_id", "email", "trace_status", "sent_datetime",
                       "open_datetime", "reply_datetime"],
            "anonymize": {"email": False},
        }]
        return sources
