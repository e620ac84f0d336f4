"""Fields of ours on Odoo's ``crm.lead`` carry the ``crm_`` prefix: ``production_ids`` and
``production_count`` become ``crm_production_ids`` and ``crm_production_count``."""
from odoo.addons.crm_core.migrations.field_rename import rename_fields

RENAMES = {"crm.lead": {"production_ids": "crm_production_ids", "production_count": "crm_production_count"}}


def migrate(cr, version):
    if version:
        for model, renames in RENAMES.items():
            rename_fields(cr, model, renames)
