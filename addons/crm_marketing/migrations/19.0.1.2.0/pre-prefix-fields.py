"""Fields of ours on Odoo's models carry the ``crm_`` prefix (columns keep their values, relation tables
their names):

- ``crm.lead``: ``competitor_ids``, ``lost_competitor_id``;
- ``crm.lost.reason`` and the lost wizard: ``competitor_id``;
- ``crm.team.member``: the distribution's ``distribution_weight``, ``absent_from``/``absent_to``,
  ``territory_country_ids``/``territory_state_ids``/``territory_cities``, ``interest_tag_ids``,
  ``language_ids``;
- ``product.template``: ``positioning_note``.
"""
from odoo.addons.crm_core.migrations.field_rename import rename_fields

RENAMES = {
    "crm.lead": {"competitor_ids": "crm_competitor_ids", "lost_competitor_id": "crm_lost_competitor_id"},
    "crm.lost.reason": {"competitor_id": "crm_competitor_id"},
    "crm.lead.lost": {"competitor_id": "crm_competitor_id"},
    "crm.team.member": {
        name: f"crm_{name}" for name in (
            "distribution_weight", "absent_from", "absent_to", "territory_country_ids", "territory_state_ids",
            "territory_cities", "interest_tag_ids", "language_ids")
    },
    "product.template": {"positioning_note": "crm_positioning_note"},
}


def migrate(cr, version):
    if version:
        for model, renames in RENAMES.items():
            rename_fields(cr, model, renames)
