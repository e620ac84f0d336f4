from odoo import fields, models


class CrmMarketingChannel(models.Model):
    _name = "crm.marketing.channel"
    _description = "Marketing Channel"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical code, e.g. email, phone, events, web, print, ads.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    consent_channel = fields.Selection(
        [("email", "Email"), ("phone", "Phone")],
        help="Consent required from a partner before this channel may address them.",
    )

    _code_unique = models.Constraint("UNIQUE(code)", "The channel code must be unique.")
