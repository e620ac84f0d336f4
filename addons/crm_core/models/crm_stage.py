from odoo import fields, models


class CrmStage(models.Model):
    _inherit = "crm.stage"

    # ------------------------------------------------------------------
    # Pipeline rules: required fields per stage, idle limit
    # ------------------------------------------------------------------
    # The idle limit is Odoo's own ``rotting_threshold_days`` ("Days to rot"):
    # one number per stage drives both Odoo's rotting widget and our idle
    # deals (which also count logged touches, see crm.lead._idle_since_sql).
    required_field_ids = fields.Many2many(
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
