from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_production_proposal_probability = fields.Integer(
        string="Production Proposals from Probability",
        config_parameter="crm_core_mrp.production_proposal_probability",
        default=70,
        help="Open deals at or above this probability get draft manufacturing orders "
        "for their manufactured products.")
