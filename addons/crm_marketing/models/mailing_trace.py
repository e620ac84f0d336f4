from odoo import fields, models


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    failure_type = fields.Selection(
        selection_add=[("mail_no_consent", "No Consent")],
        ondelete={"mail_no_consent": "set null"},
    )
