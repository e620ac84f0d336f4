from odoo import api, fields, models

from ..tools import headers

PROFILE_MIN_OVERLAP = 0.6  # share of a profile's headers a file must have for the profile to be detected


class CrmImportProfile(models.Model):
    """A saved column mapping for the exports of one system (1C, Bitrix24, amoCRM...) or of one user."""

    _name = "crm.import.profile"
    _description = "Customer Import Profile"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    source = fields.Selection([
        ("1c_accounting", "1C: Accounting"),
        ("1c_trade", "1C: Trade Management"),
        ("1c_crm", "1C: CRM"),
        ("bitrix24", "Bitrix24"),
        ("amocrm", "amoCRM"),
        ("excel", "Excel"),
        ("custom", "Custom"),
    ], "Source Kind", required=True, default="custom")
    user_id = fields.Many2one("res.users", "Owner", default=lambda self: self.env.user, index=True,
                              help="Only the owner changes a profile; empty for the built-in profiles.")
    shared = fields.Boolean(help="Every user who imports customers may use it.")
    line_ids = fields.One2many("crm.import.profile.line", "profile_id", string="Columns", copy=True)

    @api.private
    def _detect(self, columns):
        """The profile (among these) whose headers the file has most of, above the threshold, and the share."""
        key, overlap = headers.best_profile(
            columns, [(profile.id, profile.line_ids.mapped("header")) for profile in self],
            threshold=PROFILE_MIN_OVERLAP)
        return self.browse(key), overlap

    @api.private
    def _targets_by_header(self):
        """{header key: target} of this profile (see :func:`headers.header_key`)."""
        self.ensure_one()
        return {headers.header_key(line.header): line.target or "" for line in self.line_ids}
