#!/usr/bin/env python3
"""Benchmark: recompute the SLA status of many open service tickets.

Creates its own database with crm_service (no demo), inserts ``--tickets`` open
tickets set-based (SQL), spread over customers in three time zones with some
SLA pauses, then times the batch recompute used by the cron
(``crm.service.ticket._cron_recompute_sla``) and, for comparison, Odoo's own
way (``resource.calendar.plan_hours`` per ticket) on a sample.

    python3 scripts/crmctl.py bench sla -- --tickets 2000

Prints lines starting with ``bench``.
"""
import argparse
import sys
import time
from datetime import datetime, timedelta

from benchlib import drop_database, env_settings, fresh_database, open_registry


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--db", default="bench_sla")
    parser.add_argument("--sample", type=int, default=500, help="tickets timed with Odoo's plan_hours")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    parser.add_argument("--template", help="clone this database first (e.g. tpl_base) instead of an empty one")
    return parser.parse_args()


def setup_world(env, count):
    """Calendar, team, policies, customers in three time zones, then tickets by SQL."""
    from odoo import Command

    calendar = env["resource.calendar"].create({
        "name": "Bench 09-18 Moscow", "tz": "Europe/Moscow",
        "attendance_ids": [Command.create({
            "name": f"Day {day}", "dayofweek": str(day), "hour_from": 9.0, "hour_to": 18.0,
            "day_period": "full_day"}) for day in range(5)],
    })
    env["resource.calendar.leaves"].create({
        "name": "Bench holiday", "calendar_id": False,
        "date_from": datetime.now().replace(hour=0, minute=0, second=0) - timedelta(days=10),
        "date_to": datetime.now().replace(hour=23, minute=59, second=0) - timedelta(days=10),
    })
    team = env["crm.service.team"].create({"name": "Bench team", "resource_calendar_id": calendar.id})
    env["crm.service.sla.policy"].create([
        {"name": "Bench normal", "team_id": team.id, "priority": "1", "response_hours": 4, "resolve_hours": 24},
        {"name": "Bench urgent", "team_id": team.id, "priority": "3", "response_hours": 1, "resolve_hours": 8},
    ])
    policies = env["crm.service.sla.policy"].search([("team_id", "=", team.id)])
    zones = ["Europe/Moscow", "Asia/Novosibirsk", "Europe/London"]
    partners = env["res.partner"].create([
        {"name": f"ООО Клиент {index}", "is_company": True, "tz": zones[index % 3]} for index in range(300)
    ])
    stage = env.ref("crm_service.stage_in_progress")
    env.flush_all()
    cr = env.cr
    cr.execute(
        """
        INSERT INTO crm_service_ticket
               (number, name, company_id, partner_id, commercial_partner_id, channel, priority, team_id,
                stage_id, is_closed, date_open, sla_policy_id, no_agreement, active,
                create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || n, 'Bench ticket ' || n, %(company)s,
               (%(partners)s::int[])[1 + n %% %(npartners)s], (%(partners)s::int[])[1 + n %% %(npartners)s],
               'phone', CASE WHEN n %% 10 = 0 THEN '3' ELSE '1' END, %(team)s, %(stage)s, false,
               now() at time zone 'UTC' - (n %% 43200) * interval '1 minute',
               CASE WHEN n %% 10 = 0 THEN %(urgent)s ELSE %(normal)s END, true, true,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM generate_series(1, %(count)s) AS n
        """,
        {
            "company": env.company.id, "partners": partners.ids, "npartners": len(partners),
            "team": team.id, "stage": stage.id, "count": count,
            "urgent": policies.filtered(lambda p: p.priority == "3").id,
            "normal": policies.filtered(lambda p: p.priority == "1").id,
        },
    )
    # one ticket in ten waited for the customer for two hours
    cr.execute(
        """
        INSERT INTO crm_service_ticket_pause (ticket_id, date_start, date_end, create_uid, write_uid,
                                              create_date, write_date)
        SELECT id, date_open + interval '1 hour', date_open + interval '3 hours', 1, 1,
               now() at time zone 'UTC', now() at time zone 'UTC'
          FROM crm_service_ticket WHERE team_id = %s AND id %% 10 = 3
        """,
        [team.id],
    )
    return team


def main():
    args = parse_args()
    settings = env_settings("sla")
    fresh_database(settings, args, "crm_service")
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = open_registry(settings, args.db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            started = time.perf_counter()
            team = setup_world(env, args.tickets)
            cr.commit()
            print(f"bench sla_setup tickets={args.tickets} seconds={time.perf_counter() - started:.2f}")

            Ticket = env["crm.service.ticket"]
            env.invalidate_all()
            queries = cr.sql_log_count
            started = time.perf_counter()
            updated = Ticket._cron_recompute_sla()
            seconds = time.perf_counter() - started
            queries = cr.sql_log_count - queries
            cr.commit()
            cr.execute("SELECT sla_status, count(*) FROM crm_service_ticket WHERE team_id = %s GROUP BY 1", [team.id])
            statuses = " ".join(f"{status}={count}" for status, count in sorted(cr.fetchall(), key=str))
            print(f"bench sla tickets={updated} seconds={seconds:.2f} queries={queries} "
                  f"tickets_per_second={updated / seconds:.0f} {statuses}")

            # Odoo's own way: plan_hours per ticket (no pauses, no time zone per customer)
            sample = Ticket.search([("team_id", "=", team.id)], limit=args.sample)
            calendar = team.resource_calendar_id
            env.invalidate_all()
            queries = cr.sql_log_count
            started = time.perf_counter()
            for ticket in sample:
                calendar.plan_hours(ticket.sla_policy_id.resolve_hours, ticket.date_open, compute_leaves=True)
            seconds = time.perf_counter() - started
            queries = cr.sql_log_count - queries
            per_ticket = seconds / max(len(sample), 1)
            print(f"bench sla_odoo_plan_hours sample={len(sample)} seconds={seconds:.2f} queries={queries} "
                  f"extrapolated_seconds={per_ticket * args.tickets:.1f} for tickets={args.tickets}")
            cr.rollback()
    finally:
        Registry.delete(args.db)
        if not args.keep:
            drop_database(settings, args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
