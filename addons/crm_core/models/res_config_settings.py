import logging
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_sales_plan import ACHIEVEMENT_SOURCE_PARAM, ACHIEVEMENT_SOURCES
from .sale_order import WIN_ON_CONFIRM_PARAM

_logger = logging.getLogger(__name__)

_TRUE_WORDS = ("true", "1")
_FALSE_WORDS = ("false", "0")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # ------------------------------------------------------------------
    # The one reader of our settings (every addon of the family uses it)
    # ------------------------------------------------------------------

    @api.model
    def _crm_get_setting(self, field_name):
        """The value of the ``config_parameter`` setting ``field_name``, cast to the field's type.

        Unset means the field's default, as on the settings screen, so each
        default lives on its field only. A stored value the field's type cannot
        read (typed by hand in the technical parameters) falls back to that
        default with a warning instead of breaking the flow that asked.
        """
        field = self._fields[field_name]
        if not getattr(field, "config_parameter", None):
            raise ValueError(f"{field_name} is not a config_parameter setting")
        default = field.default(self) if field.default else False
        # sudo: parameters are admin-only records; this reads one setting, no record data
        value = self.env["ir.config_parameter"].sudo().get_param(field.config_parameter)
        if value is False or value is None or not str(value).strip():
            return default
        try:
            return self._crm_cast_setting(field, str(value).strip())
        except ValueError:
            _logger.warning("Setting %s: cannot read %r stored in %s, using its default %r",
                            field_name, value, field.config_parameter, default)
            return default

    @api.model
    def get_values(self):
        res = super().get_values()
        # the screen shows what the business code reads (a stored value the field cannot
        # hold shows its default, not 0); our settings are the crm_* config parameters
        for name, field in self._fields.items():
            if name.startswith("crm_") and getattr(field, "config_parameter", None):
                value = self._crm_get_setting(name)
                res[name] = value.id if isinstance(value, models.BaseModel) else value
        return res

    @api.model
    def _crm_cast_setting(self, field, value):
        """``value`` (the stored text) as ``field`` holds it; ValueError when it cannot be."""
        if field.type == "boolean":
            if value.lower() in _TRUE_WORDS:
                return True
            if value.lower() in _FALSE_WORDS:
                return False
            raise ValueError(value)
        if field.type == "integer":
            return int(value)
        if field.type == "float":
            number = float(value)
            if not math.isfinite(number):  # "nan", "inf", "1e400": no limit, no share, no threshold
                raise ValueError(value)
            return number
        if field.type == "selection":
            if value not in field.get_values(self.env):
                raise ValueError(value)
            return value
        if field.type == "many2one":
            record = self.env[field.comodel_name].browse(int(value)).exists()
            if not record:
                raise ValueError(value)
            return record
        return value

    # ------------------------------------------------------------------
    # Sales plans: where achievement comes from
    # ------------------------------------------------------------------

    crm_plan_achievement_source = fields.Selection(
        ACHIEVEMENT_SOURCES,
        string="Sales Plan Achievement",
        default="won_deals",
        config_parameter=ACHIEVEMENT_SOURCE_PARAM,
        help="Count won deals (expected revenue, closed in the period) or confirmed sales orders "
        "(untaxed amount, ordered in the period) towards the sales plans' targets.")

    # ------------------------------------------------------------------
    # ERP integration: quotations and invoicing from deals
    # ------------------------------------------------------------------

    # on by default through data/res_config_settings_data.xml (unticking removes the parameter)
    crm_deal_won_on_order_confirm = fields.Boolean(
        string="Win Deals on Order Confirmation",
        config_parameter=WIN_ON_CONFIRM_PARAM,
        help="When a quotation created from a deal is confirmed, the deal is marked as won.")

    # ------------------------------------------------------------------
    # Customer import: file size and what runs at once
    # ------------------------------------------------------------------

    crm_import_max_size_mb = fields.Float(
        string="Customer Import: Maximum File Size (MB)",
        default=20.0,
        config_parameter="crm_core.import_max_size_mb",
        help="Files above this size are refused.")
    crm_import_sync_max_rows = fields.Integer(
        string="Customer Import: Rows Imported at Once",
        default=2000,
        config_parameter="crm_core.import_sync_max_rows",
        help="Larger files are queued and imported in the background.")

    @api.constrains("crm_import_max_size_mb", "crm_import_sync_max_rows")
    def _check_crm_import_limits(self):
        for settings in self:
            # written so that NaN fails too (every comparison with NaN is false)
            if not 0 < settings.crm_import_max_size_mb < math.inf or settings.crm_import_sync_max_rows <= 0:
                raise ValidationError(self.env._(
                    "The customer import's maximum file size and rows imported at once must be positive."))

    # ------------------------------------------------------------------
    # Personal data: may the customer's salesperson change it?
    # ------------------------------------------------------------------

    crm_personal_data_salesperson_edit = fields.Boolean(
        string="Salespeople Edit Their Customers' Personal Data",
        config_parameter="crm_core.personal_data_salesperson_edit",
        help="Besides data operators and sales managers, the customer's own salesperson may change "
        "the names, phones, emails, addresses and notes of the customer's contacts.")
