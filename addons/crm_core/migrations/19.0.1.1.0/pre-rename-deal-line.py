"""Names that cannot collide with OCA modules (``crm_lead_product`` defines ``crm.lead.line``).

Before crm_core 19.0.1.1.0 loads, an existing database gets its data under the new names:

- the model ``crm.lead.line`` becomes ``crm.deal.line``: its table, sequence, constraints and
  indexes, its ``ir.model``/``ir.model.fields``/xml ids, and every stored reference to the model's
  name (attachments, messages, followers, activities, actions, views, filters);
- on ``crm.lead``: ``lead_line_ids``/``lead_line_amount`` become ``crm_deal_line_ids``/
  ``crm_deal_line_amount``, and the unprefixed ``pricelist_id``/``currency_id`` become
  ``crm_pricelist_id``/``crm_currency_id`` (their columns keep their values).

Every step checks the old state first, so a second run changes nothing.
"""
import logging

from odoo.addons.crm_core.migrations.field_rename import rename_fields, rename_prefixed
from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)

SUITE_MODULES = ("crm_core", "crm_core_mrp", "crm_marketing", "crm_service", "crm_analytics", "crm_l10n_ua",
                 "test_crm_suite")
OLD_MODEL, NEW_MODEL = "crm.lead.line", "crm.deal.line"
OLD_TABLE, NEW_TABLE = "crm_lead_line", "crm_deal_line"
LEAD_FIELDS = {
    "lead_line_ids": "crm_deal_line_ids",
    "lead_line_amount": "crm_deal_line_amount",
    "pricelist_id": "crm_pricelist_id",
    "currency_id": "crm_currency_id",
}
# (table, column) holding a model's technical name, where the model may be ours
MODEL_NAME_COLUMNS = [
    ("ir_model_fields", "model"), ("ir_model_fields", "relation"), ("ir_model_data", "model"),
    ("ir_act_window", "res_model"), ("ir_ui_view", "model"), ("ir_filters", "model_id"),
    ("ir_attachment", "res_model"), ("mail_message", "model"), ("mail_followers", "res_model"),
    ("mail_activity", "res_model"), ("rating_rating", "res_model"), ("ir_act_server", "model_name"),
]


def migrate(cr, version):
    if not version:
        return
    rename_deal_line_model(cr)
    rename_lead_fields(cr)


def rename_deal_line_model(cr):
    if not sql.table_exists(cr, OLD_TABLE) or sql.table_exists(cr, NEW_TABLE):
        return
    _logger.info("crm_core: renaming model %s to %s", OLD_MODEL, NEW_MODEL)
    cr.execute(SQL("ALTER TABLE %s RENAME TO %s", SQL.identifier(OLD_TABLE), SQL.identifier(NEW_TABLE)))
    cr.execute(SQL("ALTER SEQUENCE IF EXISTS %s RENAME TO %s",
                   SQL.identifier(f"{OLD_TABLE}_id_seq"), SQL.identifier(f"{NEW_TABLE}_id_seq")))
    cr.execute(SQL("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND conname LIKE %s",
                   NEW_TABLE, f"{OLD_TABLE}%"))
    rename_prefixed(cr, "CONSTRAINT", cr.fetchall(), OLD_TABLE, NEW_TABLE, table=NEW_TABLE)
    cr.execute(SQL("SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
                   NEW_TABLE, f"{OLD_TABLE}%"))
    rename_prefixed(cr, "INDEX", cr.fetchall(), OLD_TABLE, NEW_TABLE)
    cr.execute(SQL("UPDATE ir_model_constraint SET name = %s || substr(name, %s) WHERE name LIKE %s",
                   NEW_TABLE, len(OLD_TABLE) + 1, f"{OLD_TABLE}%"))
    cr.execute(SQL("UPDATE ir_model SET model = %s WHERE model = %s", NEW_MODEL, OLD_MODEL))
    for table, column in MODEL_NAME_COLUMNS:
        if sql.column_exists(cr, table, column):
            cr.execute(SQL("UPDATE %s SET %s = %s WHERE %s = %s", SQL.identifier(table), SQL.identifier(column),
                           NEW_MODEL, SQL.identifier(column), OLD_MODEL))
    # xml ids of the model, its fields, views, rules, accesses, actions and menus (ours and bridges')
    cr.execute(SQL("UPDATE ir_model_data SET name = replace(name, %s, %s) WHERE module IN %s AND strpos(name, %s) > 0",
                   OLD_TABLE, NEW_TABLE, SUITE_MODULES, OLD_TABLE))


def rename_lead_fields(cr):
    rename_fields(cr, "crm.lead", LEAD_FIELDS, views=False)
