from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_analytics_abc_months = fields.Integer(
        string="ABC/XYZ Period (months)", default=12, config_parameter="crm_analytics.abc_months")
    crm_analytics_abc_a = fields.Float(string="Class A Share (%)", default=80.0, config_parameter="crm_analytics.abc_a")
    crm_analytics_abc_b = fields.Float(string="Class B Share (%)", default=15.0, config_parameter="crm_analytics.abc_b")
    crm_analytics_xyz_x = fields.Float(
        string="Class X Max Variation (%)", default=10.0, config_parameter="crm_analytics.xyz_x")
    crm_analytics_xyz_y = fields.Float(
        string="Class Y Max Variation (%)", default=25.0, config_parameter="crm_analytics.xyz_y")
    crm_analytics_rfm_source = fields.Selection(
        [("invoice", "Posted invoices"), ("order", "Confirmed sales orders")],
        string="RFM Source", default="invoice", config_parameter="crm_analytics.rfm_source")
    crm_analytics_rfm_months = fields.Integer(
        string="RFM Period (months)", default=24, config_parameter="crm_analytics.rfm_months")

    @api.constrains("crm_analytics_abc_months", "crm_analytics_rfm_months", "crm_analytics_abc_a",
                    "crm_analytics_abc_b", "crm_analytics_xyz_x", "crm_analytics_xyz_y")
    def _check_crm_analytics_thresholds(self):
        for settings in self:
            if settings.crm_analytics_abc_months < 1 or settings.crm_analytics_rfm_months < 1:
                raise ValidationError(self.env._("The ABC/XYZ and RFM periods must be at least one month."))
            shares = (settings.crm_analytics_abc_a, settings.crm_analytics_abc_b)
            if min(shares) <= 0 or sum(shares) >= 100:
                raise ValidationError(self.env._(
                    "Class A and B shares must be positive percentages that leave room for class C "
                    "(A + B below 100%)."))
            if not 0 < settings.crm_analytics_xyz_x < settings.crm_analytics_xyz_y:
                raise ValidationError(self.env._(
                    "The class X variation limit must be positive and below the class Y limit."))

    def action_crm_analytics_recompute(self):
        self.execute()
        self.env["crm.analytics.classifier"].recompute_all()
        return True
