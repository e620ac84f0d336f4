from odoo import fields, models


class MailingList(models.Model):
    _inherit = "mailing.list"

    crm_segment_ids = fields.One2many("crm.segment", "mailing_list_id", string="Segments")

    def action_sync_crm_segments(self):
        self.check_access("write")
        return self.crm_segment_ids.action_sync_mailing_list()
