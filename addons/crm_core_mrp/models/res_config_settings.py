from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_production_proposal_probability = fields.Integer(
        string="Production Proposals from Probability",
        config_parameter="crm_core_mrp.production_proposal_probability",
        default=70,
        help="Open deals at or above this probability get draft manufacturing orders "
        "for their manufactured products.")

    @api.constrains("crm_production_proposal_probability")
    def _check_crm_production_proposal_probability(self):
        for settings in self:
            if not 0 <= settings.crm_production_proposal_probability <= 100:
                raise ValidationError(self.env._("The probability for production proposals is a percentage "
                                                 "between 0 and 100."))
