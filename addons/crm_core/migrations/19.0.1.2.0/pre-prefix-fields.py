"""Fields of ours on Odoo's models carry the ``crm_`` prefix:

- ``crm.lead``: ``interaction_ids``/``interaction_count`` and the invoicing figures ``deal_*``
  (``deal_invoice_count``, ``deal_amount_invoiced``, ``deal_payment_state``…) become ``crm_…``;
- ``crm.stage``: ``required_field_ids`` becomes ``crm_required_field_ids`` (its relation table keeps its
  name);
- ``crm.team``: the sales plan's ``current_plan_*`` become ``crm_current_plan_*``.
"""
from odoo.addons.crm_core.migrations.field_rename import rename_fields

RENAMES = {
    "crm.lead": {
        "interaction_ids": "crm_interaction_ids",
        "interaction_count": "crm_interaction_count",
        "deal_invoice_count": "crm_deal_invoice_count",
        "deal_payment_count": "crm_deal_payment_count",
        "deal_amount_invoiced": "crm_deal_amount_invoiced",
        "deal_amount_paid": "crm_deal_amount_paid",
        "deal_amount_residual": "crm_deal_amount_residual",
        "deal_payment_state": "crm_deal_payment_state",
        "deal_to_invoice": "crm_deal_to_invoice",
    },
    "crm.stage": {"required_field_ids": "crm_required_field_ids"},
    "crm.team": {
        "current_plan_line_id": "crm_current_plan_line_id",
        "current_plan_progress": "crm_current_plan_progress",
        "current_plan_achieved_count": "crm_current_plan_achieved_count",
        "current_plan_target_count": "crm_current_plan_target_count",
    },
}


def migrate(cr, version):
    if version:
        for model, renames in RENAMES.items():
            rename_fields(cr, model, renames)
