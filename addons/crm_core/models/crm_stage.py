from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    # ------------------------------------------------------------------
    # Pipeline rules: required fields per stage
    # ------------------------------------------------------------------
    # The rotting limit is Odoo's own ``rotting_threshold_days`` ("Days to rot");
    # crm_core only lets more touches restart the clock (crm.lead._compute_rotting).
    crm_required_field_ids = fields.Many2many(
        "ir.model.fields",
        "crm_stage_required_field_rel",
        "stage_id",
        "field_id",
        string="Required Fields",
        domain=[
            ("model", "=", "crm.lead"),
            ("store", "=", True),
            ("ttype", "not in", ("boolean", "one2many")),
        ],
        help="A deal can only enter this stage (moved or created in it) when all these fields are filled in.",
    )
