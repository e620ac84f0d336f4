from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools import edrpou as edrpou_tools


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.constrains("company_registry", "country_id")
    def _check_company_registry_ua(self):
        """In Ukraine Odoo's "Company ID" is the ЄДРПОУ: 8 digits with a check digit."""
        for partner in self:
            if partner.country_id.code != "UA" or not partner.company_registry:
                continue
            error = edrpou_tools.edrpou_error(partner.company_registry)
            if error:
                raise ValidationError(self.env._(
                    "EDRPOU code %(code)s of %(partner)s: %(error)s",
                    code=partner.company_registry, partner=partner.display_name,
                    error=self._crm_edrpou_error_text(error)))

    @api.model
    def _crm_edrpou_error_text(self, error):
        """The user's-language text of a reason from ``tools/edrpou.py`` (the tool has no Odoo)."""
        texts = {
            edrpou_tools.EDRPOU_NOT_DIGITS: self.env._("EDRPOU code must contain digits only"),
            edrpou_tools.EDRPOU_BAD_LENGTH: self.env._("EDRPOU code must have 8 digits"),
            edrpou_tools.EDRPOU_BAD_CHECKSUM: self.env._("EDRPOU code checksum does not match"),
        }
        return texts.get(error, error)

    def _get_company_registry_labels(self):
        labels = super()._get_company_registry_labels()
        labels["UA"] = self.env._("EDRPOU Code")
        return labels
