"""Idle deals became Odoo's rotting: the reminder's activity type, its cron and the demo deals
keep their records (and the reminders already scheduled) under new xml ids; the idle views go.

The records are ``noupdate``: the update would neither rename them nor rewrite their texts, and the
cron would go on calling a method that no longer exists. So the xml ids are renamed before the data
is loaded, the cron calls the new method, and texts still at their old default get the new one
(translations then come from the updated catalogs).
"""
from odoo.tools import SQL

MODULE = "crm_core"
RENAMED_XMLIDS = {
    "mail_activity_type_idle_deal": "mail_activity_type_rotting_deal",
    "ir_cron_remind_idle_deals": "ir_cron_remind_rotting_deals",
    "ir_cron_remind_idle_deals_ir_actions_server": "ir_cron_remind_rotting_deals_ir_actions_server",
    "crm_lead_demo_idle_romashka": "crm_lead_demo_rotting_romashka",
    "crm_lead_demo_idle_vector": "crm_lead_demo_rotting_vector",
}
# (table, column, new xml id of the row, old default, new default)
RENAMED_TEXTS = [
    ("mail_activity_type", "name", "mail_activity_type_rotting_deal",
     "Idle Deal Follow-up", "Rotting Deal Follow-up"),
    ("mail_activity_type", "summary", "mail_activity_type_rotting_deal",
     "Idle deal: plan the next step", "Rotting deal: plan the next step"),
    ("ir_act_server", "name", "ir_cron_remind_rotting_deals_ir_actions_server",
     "CRM: remind salespeople of idle deals", "CRM: remind salespeople of rotting deals"),
]
# views of the "idle" fields, gone with them: dropped before the update validates the views
# inheriting from the same deal views (the stale ones would name fields that no longer exist)
REMOVED_VIEWS = [
    "crm_lead_view_form_pipeline_rules",
    "crm_lead_view_kanban_pipeline_rules",
    "crm_lead_view_list_pipeline_rules",
    "crm_lead_view_search_pipeline_rules",
]
OLD_CRON_CODE = "model._cron_remind_idle_deals()"
NEW_CRON_CODE = "model._cron_remind_rotting_deals()"


def remove_idle_views(cr):
    cr.execute(SQL(
        """DELETE FROM ir_ui_view WHERE id IN (
               SELECT res_id FROM ir_model_data
                WHERE module = %(module)s AND model = 'ir.ui.view' AND name IN %(names)s)""",
        module=MODULE, names=tuple(REMOVED_VIEWS),
    ))
    cr.execute(SQL(
        "DELETE FROM ir_model_data WHERE module = %(module)s AND model = 'ir.ui.view' AND name IN %(names)s",
        module=MODULE, names=tuple(REMOVED_VIEWS),
    ))


def rename_idle_records(cr):
    for old, new in RENAMED_XMLIDS.items():
        cr.execute(SQL(
            """UPDATE ir_model_data SET name = %(new)s
                WHERE module = %(module)s AND name = %(old)s
                  AND NOT EXISTS (SELECT 1 FROM ir_model_data WHERE module = %(module)s AND name = %(new)s)""",
            module=MODULE, old=old, new=new,
        ))
    for table, column, xmlid, old_text, new_text in RENAMED_TEXTS:
        cr.execute(SQL(
            """UPDATE %(table)s SET %(column)s = jsonb_build_object('en_US', %(new)s::text)
                WHERE id = (SELECT res_id FROM ir_model_data WHERE module = %(module)s AND name = %(xmlid)s)
                  AND %(column)s ->> 'en_US' = %(old)s""",
            table=SQL.identifier(table), column=SQL.identifier(column),
            module=MODULE, xmlid=xmlid, old=old_text, new=new_text,
        ))
    cr.execute(SQL(
        """UPDATE ir_act_server SET code = %(new_code)s
            WHERE id = (SELECT res_id FROM ir_model_data
                         WHERE module = %(module)s AND name = 'ir_cron_remind_rotting_deals_ir_actions_server')
              AND code = %(old_code)s""",
        module=MODULE, old_code=OLD_CRON_CODE, new_code=NEW_CRON_CODE,
    ))
    # the cron's stored name follows its server action's
    cr.execute(SQL(
        """UPDATE ir_cron cron SET cron_name = action.name ->> 'en_US'
             FROM ir_act_server action
            WHERE action.id = cron.ir_actions_server_id
              AND cron.id = (SELECT res_id FROM ir_model_data
                              WHERE module = %(module)s AND name = 'ir_cron_remind_rotting_deals')""",
        module=MODULE,
    ))


def migrate(cr, version):
    if version:
        remove_idle_views(cr)
        rename_idle_records(cr)
