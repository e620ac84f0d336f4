"""Quick statuses: the next step moves from the status to Odoo's activity-type chaining.

Before 19.0.1.1.0 a status stored its next step (``next_activity_type_id`` and
``next_delay_days``). Now a status names the activity it completes
(``activity_type_id``) and that type's trigger plans the next step. The shipped
statuses take the shipped outcome types; any other status gets an outcome type
of its own that triggers its former next step. Odoo plans a triggered activity
with the delay of the next type, so where the status's own delay differed, the
next type is copied with that delay and the copy is triggered: no status plans
its next step on another day than before.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists

# shipped status -> shipped outcome type (data/crm_customer360_data.xml)
SHIPPED_OUTCOMES = {
    "crm_core.crm_interaction_status_call_taken": "crm_core.mail_activity_type_call_taken",
    "crm_core.crm_interaction_status_call_no_answer": "crm_core.mail_activity_type_call_no_answer",
    "crm_core.crm_interaction_status_call_back": "crm_core.mail_activity_type_call_back_requested",
    "crm_core.crm_interaction_status_meeting_agreed": "crm_core.mail_activity_type_meeting_agreed",
    "crm_core.crm_interaction_status_meeting_postponed": "crm_core.mail_activity_type_meeting_postponed",
    "crm_core.crm_interaction_status_letter_sent": "crm_core.mail_activity_type_letter_sent",
}


def migrate_next_steps(env):
    """Give every status that had a next step the activity type whose chain plans it."""
    if not column_exists(env.cr, "crm_interaction_status", "next_activity_type_id"):
        return
    env["crm.interaction.status"].flush_model(["activity_type_id"])
    delay = "next_delay_days" if column_exists(env.cr, "crm_interaction_status", "next_delay_days") else "0"
    env.cr.execute(f"""
        SELECT id, next_activity_type_id, COALESCE({delay}, 0) FROM crm_interaction_status
         WHERE next_activity_type_id IS NOT NULL AND activity_type_id IS NULL
    """)  # noqa: S608 - the column name is one of two constants above
    rows = env.cr.fetchall()
    statuses = env["crm.interaction.status"].with_context(active_test=False).browse([row[0] for row in rows])
    xmlids = statuses.get_external_id()
    for status, (_status_id, next_type_id, days) in zip(statuses, rows, strict=True):
        activity_type = env.ref(SHIPPED_OUTCOMES.get(xmlids[status.id], ""), raise_if_not_found=False)
        if not activity_type:
            activity_type = env["mail.activity.type"].create({
                "name": status.name,
                "sequence": 60,
                "chaining_type": "trigger",
                "triggered_next_type_id": _next_type_with_delay(env, next_type_id, status, days).id,
            })
        status.activity_type_id = activity_type


def _next_type_with_delay(env, next_type_id, status, days):
    """The activity type ``next_type_id``, or a copy of it planned ``days`` days after the outcome."""
    next_type = env["mail.activity.type"].browse(next_type_id)
    # the outcome's activity is done on the day it is logged: "after the previous activity" and
    # "after completion" both count from that day, only the number of days matters
    if (next_type.delay_count, next_type.delay_unit) == (days, "days"):
        return next_type
    return next_type.copy({
        "name": f"{next_type.name} ({status.name})",
        "delay_count": days,
        "delay_unit": "days",
        "delay_from": "current_date",
        "chaining_type": "suggest",
        "triggered_next_type_id": False,
    })


def migrate(cr, version):
    if not version:
        return
    migrate_next_steps(api.Environment(cr, SUPERUSER_ID, {}))
