""""Win Deals on Order Confirmation" becomes an ordinary ``config_parameter`` setting.

Before, an unset parameter meant "on" and "off" was stored as the text "False".
Now the parameter follows Odoo's boolean settings: present ("True") means on,
absent means off, and new databases get "True" from data. So an unset parameter
becomes "True" and a stored "off" is removed.
"""
from odoo import SUPERUSER_ID, api

WIN_ON_CONFIRM_PARAM = "crm_core.deal_won_on_order_confirm"


def convert_win_on_confirm(env):
    """Return whether the setting is on after the conversion."""
    param = env["ir.config_parameter"].search([("key", "=", WIN_ON_CONFIRM_PARAM)])
    if not param:
        param.create({"key": WIN_ON_CONFIRM_PARAM, "value": "True"})
        return True
    if (param.value or "").strip().lower() in ("false", "0", ""):
        param.unlink()
        return False
    return True


def migrate(cr, version):
    if version:
        convert_win_on_confirm(api.Environment(cr, SUPERUSER_ID, {}))
