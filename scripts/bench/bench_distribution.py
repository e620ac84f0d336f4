#!/usr/bin/env python3
"""Distribute unassigned leads among salespeople: crm_marketing's rules against Odoo's assignment.

Run through ``python3 scripts/crmctl.py bench distribution`` (which sets
CRM_ADDONS_PATH, CRM_CONFIG, CRM_DATA_DIR, CRM_DB_PORT, CRM_DB_USER). The script
installs crm_marketing into its own database, creates 50 salespeople in one team
and N unassigned leads (batch creates), then on the same data:

* ours: a ``crm.distribution.rule`` (weighted by capacity) committed with one
  write per salesperson;
* odoo: the leads are reset to unassigned and ``crm.team._action_assign_leads``
  (what the "Assign Leads" button and the assignment cron run) places them, with
  member capacities raised so that Odoo's daily quota can take every lead.

Prints ``bench distribution ours leads=… seconds=… leads_per_s=…``, the same for
``odoo`` and ``bench distribution ratio=<ours/odoo leads per second>``.
Use ``--leads 1000`` for a quick run and ``--template tpl_base`` to start from a
prepared database.
"""
import argparse
import math
import time

from benchlib import drop_database, env_settings, fresh_database, open_registry


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="bench_distribution", help="database to create (dropped at the end)")
    parser.add_argument("--leads", type=int, default=10000, help="number of unassigned leads")
    parser.add_argument("--salespeople", type=int, default=50, help="number of salespeople")
    parser.add_argument("--method", default="capacity", help="our distribution method")
    parser.add_argument("--template", help="clone this database first (e.g. tpl_base) instead of an empty one")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (and reuse it if present)")
    parser.add_argument("--skip-odoo", action="store_true", help="measure only our distribution")
    return parser.parse_args()










def build_world(env, args):
    """One team of salespeople and unassigned leads, created in batches."""
    from odoo.fields import Command

    salesman = env.ref("sales_team.group_sale_salesman")
    users = env["res.users"].with_context(no_reset_password=True).create([
        {"name": f"Продавец {index}", "login": f"bench_seller_{index}", "group_ids": [Command.set(salesman.ids)]}
        for index in range(args.salespeople)
    ])
    # one capacity for both (assignment_max, leads over 30 days); Odoo's daily quota is assignment_max / 30:
    # give it room for every lead
    capacity = 30 * (math.ceil(args.leads / args.salespeople) + 1)
    team = env["crm.team"].create({
        "name": "Бенч отдел",
        "use_leads": True,
        "use_opportunities": True,
        "assignment_optout": False,
        "crm_team_member_ids": [
            Command.create({"user_id": user.id, "assignment_max": capacity})
            for user in users
        ],
    })
    rule = env["crm.distribution.rule"].create({
        "name": "Бенч правило", "method": args.method, "team_ids": [Command.set(team.ids)],
        "lead_domain": "[('user_id', '=', False)]",
    })
    leads = env["crm.lead"].browse()
    batch = 2000
    for start in range(0, args.leads, batch):
        leads |= env["crm.lead"].create([
            {"name": f"Заявка {index}", "type": "lead", "user_id": False, "team_id": False,
             "email_from": f"client{index}@bench.example.ru", "contact_name": f"Клиент {index}"}
            for index in range(start, min(start + batch, args.leads))
        ])
    return team, rule, leads


def reset_leads(env, leads):
    from odoo.tools import SQL

    env.flush_all()
    env.cr.execute(SQL(
        "UPDATE crm_lead SET user_id = NULL, team_id = NULL, date_open = NULL, type = 'lead' WHERE id IN %s",
        tuple(leads.ids),
    ))
    env.invalidate_all()


def assigned_count(env, leads):
    env.flush_all()
    env.invalidate_all()
    return env["crm.lead"].search_count([("id", "in", leads.ids), ("user_id", "!=", False)])


def report(label, leads, seconds):
    rate = leads / seconds if seconds else 0.0
    print(f"bench distribution {label} leads={leads} seconds={seconds:.2f} leads_per_s={rate:.1f}", flush=True)
    return rate


def measure(settings, args):
    from odoo import api

    registry = open_registry(settings, args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
        started = time.monotonic()
        team, rule, leads = build_world(env, args)
        cr.commit()
        print(f"# created {args.salespeople} salespeople and {len(leads)} leads in "
              f"{time.monotonic() - started:.1f}s", flush=True)

        # ours: the rule, committed (one write per salesperson), measured with a fresh cache
        env.invalidate_all()
        manager_env = api.Environment(cr, api.SUPERUSER_ID, {})
        started = time.monotonic()
        run, _result = manager_env["crm.distribution.rule"].browse(rule.id)._run_distribution(commit=True)
        manager_env.flush_all()
        ours_seconds = time.monotonic() - started
        ours_assigned = assigned_count(env, leads)
        cr.commit()
        ours_rate = report("ours", ours_assigned, ours_seconds)
        print(f"# ours: run {run.id} logged, {run.assigned_count} assigned, {run.unassigned_count} unassigned",
              flush=True)
        if args.skip_odoo:
            return

        # odoo: same leads, unassigned again, through the team assignment
        reset_leads(env, leads)
        cr.commit()
        started = time.monotonic()
        manager_env["crm.team"].browse(team.id)._action_assign_leads(force_quota=True, creation_delta_days=0)
        manager_env.flush_all()
        odoo_seconds = time.monotonic() - started
        odoo_assigned = assigned_count(env, leads)
        cr.commit()
        odoo_rate = report("odoo", odoo_assigned, odoo_seconds)
        ratio = ours_rate / odoo_rate if odoo_rate else float("inf")
        print(f"bench distribution ratio={ratio:.1f}", flush=True)


def main():
    args = parse_args()
    settings = env_settings("distribution")
    created = fresh_database(settings, args, "crm_marketing", ("--max-cron-threads", "0"))
    try:
        measure(settings, args)
    finally:
        if created and not args.keep:
            drop_database(settings, args.db)


if __name__ == "__main__":
    main()
