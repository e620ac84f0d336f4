from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's contact merge writes the kept contact and deletes the others (with sudo): only a user who may
    change the personal data of every merged contact may merge them."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        self.env["res.partner"].browse(partner_ids).exists()._crm_check_personal_data_merge()
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
