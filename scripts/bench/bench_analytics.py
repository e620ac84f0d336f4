#!/usr/bin/env python3
"""Benchmark of crm_analytics on a large generated data set.

Generates (set-based SQL, cloning one ORM-made template row per table) customers,
products, confirmed sale orders with their lines, and opportunities with a stage
history, then times, in the same run:

- the ABC/XYZ recomputation of customers and products (goal <= 20 s at 1,000,000 lines),
- the RFM recomputation,
- grouped reads of the funnel and salesperson reports (goal <= 2 s each),
- Odoo's own ``sale.report`` grouped by customer, on the same data.

Every figure is printed on a line starting with ``bench analytics``.

    python3 scripts/crmctl.py bench analytics                     # 1,000,000 lines, 100,000 customers
    python3 scripts/crmctl.py bench analytics -- --lines 20000    # a quick try

It reads CRM_CONFIG, CRM_ADDONS_PATH, CRM_DATA_DIR (set by ``crmctl.py bench``),
creates the database ``bench_analytics`` (``--template tpl_base`` clones an
existing database with Odoo's apps to save the install time) and drops it at the
end unless ``--keep``.
"""
import argparse
import time
from datetime import date

from benchlib import create_database, drop_database, env_settings, open_registry
from dateutil.relativedelta import relativedelta


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="sale order lines (4 per order)")
    parser.add_argument("--customers", type=int, default=None, help="customers (default: lines / 10)")
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--leads", type=int, default=None, help="opportunities (default: lines / 10)")
    parser.add_argument("--db", default="bench_analytics")
    parser.add_argument("--template", default=None, help="clone this database instead of installing from scratch")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


class Cloner:
    """INSERT ... SELECT from one template row, overriding some columns with SQL expressions."""

    def __init__(self, cr):
        self.cr = cr

    def columns(self, table):
        self.cr.execute("""SELECT column_name FROM information_schema.columns
                            WHERE table_schema = 'public' AND table_name = %s AND column_name <> 'id'""", [table])
        return [row[0] for row in self.cr.fetchall()]

    def clone(self, table, template_id, count, overrides, extra_from=""):
        """Insert ``count`` copies of row ``template_id``; ``overrides`` use g (1..count) and t (the template)."""
        cols = self.columns(table)
        select = ", ".join(overrides.get(col, f't."{col}"') for col in cols)
        names = ", ".join(f'"{col}"' for col in cols)
        query = f"""INSERT INTO "{table}" ({names})
                    SELECT {select} FROM "{table}" t CROSS JOIN generate_series(1, %(count)s) g {extra_from}
                     WHERE t.id = %(template)s"""  # noqa: S608 - names from information_schema, code constants
        self.cr.execute(query, {"count": count, "template": template_id})


def generate(env, args):
    from odoo import Command

    cr = env.cr
    lines = args.lines
    customers = args.customers or max(lines // 10, 10)
    leads = args.leads or max(lines // 10, 10)
    orders = max(lines // 4, 1)
    started = time.time()
    # ---- templates made by the ORM (one of each), then cloned by SQL
    users = env["res.users"].create([{
        "name": f"Bench Seller {index}", "login": f"bench_seller_{index}",
        "group_ids": [Command.set([env.ref("sales_team.group_sale_salesman").id])],
    } for index in range(20)])
    teams = env["crm.team"].create([{"name": f"Bench Team {index}"} for index in range(4)])
    partner = env["res.partner"].create({"name": "Bench Customer", "is_company": True})
    product = env["product.product"].create({"name": "Bench Product", "list_price": 10.0, "type": "consu"})
    order = env["sale.order"].create({
        "partner_id": partner.id, "user_id": users[0].id, "team_id": teams[0].id,
        "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 10.0})],
    })
    order.action_confirm()
    stages = env["crm.stage"].search([], order="sequence")
    lead = env["crm.lead"].create({"name": "Bench Deal", "type": "opportunity", "partner_id": partner.id,
                                   "user_id": users[0].id, "team_id": teams[0].id, "stage_id": stages[0].id,
                                   "expected_revenue": 1000.0})
    env.flush_all()
    cr.flush()
    lead.stage_id = stages[1]
    env.flush_all()
    cr.flush()
    tracking = env["mail.tracking.value"].search([("mail_message_id.model", "=", "crm.lead"),
                                                  ("mail_message_id.res_id", "=", lead.id),
                                                  ("field_id.name", "=", "stage_id")], limit=1)
    message = tracking.mail_message_id
    cloner = Cloner(cr)
    user_ids, team_ids = users.ids, teams.ids
    stage_ids = stages.ids
    won_stage = stages.filtered("is_won")[:1].id or stage_ids[-1]
    open_stages = [sid for sid in stage_ids if sid != won_stage]

    # ---- customers
    cloner.clone("res_partner", partner.id, customers, {
        "name": "'Bench Customer ' || g", "complete_name": "'Bench Customer ' || g",
        "email": "'customer' || g || '@bench.example'",
    })
    cr.execute("""CREATE TEMP TABLE bench_partner AS
                  SELECT id, row_number() OVER (ORDER BY id) AS rn FROM res_partner
                   WHERE name LIKE 'Bench Customer %%' AND id <> %s""", [partner.id])
    cr.execute("UPDATE res_partner p SET commercial_partner_id = p.id FROM bench_partner b WHERE b.id = p.id")
    # ---- products
    cloner.clone("product_template", product.product_tmpl_id.id, args.products, {
        "name": """jsonb_build_object('en_US', 'Bench Product ' || g)""",
    })
    cr.execute("""CREATE TEMP TABLE bench_template AS
                  SELECT id, row_number() OVER (ORDER BY id) AS rn FROM product_template
                   WHERE name->>'en_US' LIKE 'Bench Product %%' AND id <> %s""", [product.product_tmpl_id.id])
    cloner.clone("product_product", product.id, args.products, {
        "product_tmpl_id": "bt.id", "default_code": "'BENCH-' || g",
    }, extra_from="JOIN bench_template bt ON bt.rn = g")
    cr.execute("""CREATE TEMP TABLE bench_product AS
                  SELECT pp.id, row_number() OVER (ORDER BY pp.id) AS rn FROM product_product pp
                    JOIN bench_template bt ON bt.id = pp.product_tmpl_id""")
    # ---- orders: customers skewed (a few buy a lot) so that ABC has something to find
    cr.execute("""CREATE TEMP TABLE bench_order_plan AS
                  SELECT g AS n, 1 + floor(power(random(), 3) * %(customers)s)::int AS customer_rn,
                         (NOW() AT TIME ZONE 'UTC') - random() * interval '360 days' AS date_order
                    FROM generate_series(1, %(orders)s) g""", {"customers": customers, "orders": orders})
    cloner.clone("sale_order", order.id, orders, {
        "name": "'BENCH/' || g", "partner_id": "bp.id", "partner_invoice_id": "bp.id",
        "partner_shipping_id": "bp.id", "date_order": "op.date_order",
        "user_id": f"(ARRAY{user_ids})[1 + mod(g, {len(user_ids)})]",
        "team_id": f"(ARRAY{team_ids})[1 + mod(g, {len(team_ids)})]",
        "amount_untaxed": "0", "amount_total": "0",
    }, extra_from="JOIN bench_order_plan op ON op.n = g.g JOIN bench_partner bp ON bp.rn = op.customer_rn")
    cr.execute("""CREATE TEMP TABLE bench_order AS
                  SELECT id, row_number() OVER (ORDER BY id) AS rn FROM sale_order WHERE name LIKE 'BENCH/%'""")
    cloner.clone("sale_order_line", order.order_line.id, lines, {
        "order_id": "bo.id", "product_id": "bpp.id", "name": "'Bench line ' || g",
        "product_uom_qty": "q.qty", "price_unit": "q.price", "price_subtotal": "q.qty * q.price",
        "price_total": "q.qty * q.price", "price_tax": "0", "order_partner_id": "so.partner_id",
        "salesman_id": "so.user_id",
    }, extra_from=f"""CROSS JOIN LATERAL (SELECT 1 + floor(random() * 20) + 0 * g.g AS qty,
                                                  5 + floor(random() * 200) AS price,
                                                  1 + floor(power(random(), 2) * {args.products})::int AS product_rn) q
                      JOIN bench_order bo ON bo.rn = 1 + (g.g - 1) / 4
                      JOIN sale_order so ON so.id = bo.id
                      JOIN bench_product bpp ON bpp.rn = LEAST(q.product_rn, {args.products})""")
    cr.execute("""UPDATE sale_order so SET amount_untaxed = s.total, amount_total = s.total
                    FROM (SELECT order_id, SUM(price_subtotal) AS total FROM sale_order_line
                           WHERE order_id IN (SELECT id FROM bench_order) GROUP BY order_id) s
                   WHERE s.order_id = so.id""")
    # ---- opportunities: 25 % won, 15 % lost, the rest open; two stage moves each
    cr.execute("""CREATE TEMP TABLE bench_lead_plan AS
                  SELECT g AS n, random() AS fate,
                         (NOW() AT TIME ZONE 'UTC') - random() * interval '360 days' AS created,
                         1 + floor(power(random(), 3) * %(customers)s)::int AS customer_rn
                    FROM generate_series(1, %(leads)s) g""", {"customers": customers, "leads": leads})
    cloner.clone("crm_lead", lead.id, leads, {
        "name": "'Bench Deal ' || g", "partner_id": "bp.id", "create_date": "lp.created",
        "user_id": f"(ARRAY{user_ids})[1 + mod(g, {len(user_ids)})]",
        "team_id": f"(ARRAY{team_ids})[1 + mod(g, {len(team_ids)})]",
        "stage_id": f"CASE WHEN lp.fate < 0.25 THEN {won_stage} "
                    f"ELSE (ARRAY{open_stages})[1 + mod(g, {len(open_stages)})] END",
        "won_status": "CASE WHEN lp.fate < 0.25 THEN 'won' WHEN lp.fate < 0.40 THEN 'lost' ELSE 'pending' END",
        "active": "NOT (lp.fate >= 0.25 AND lp.fate < 0.40)",
        "probability": "CASE WHEN lp.fate < 0.25 THEN 100 WHEN lp.fate < 0.40 THEN 0 ELSE 10 + mod(g, 80) END",
        "expected_revenue": "100 + floor(random() * 20000)",
        "prorated_revenue": "0",
        "date_closed": "CASE WHEN lp.fate < 0.40 THEN lp.created + random() * interval '60 days' END",
        "date_deadline": "(lp.created + interval '30 days')::date",
    }, extra_from="JOIN bench_lead_plan lp ON lp.n = g.g JOIN bench_partner bp ON bp.rn = lp.customer_rn")
    cr.execute("""UPDATE crm_lead SET prorated_revenue = expected_revenue * probability / 100.0
                   WHERE name LIKE 'Bench Deal %'""")
    cr.execute("""CREATE TEMP TABLE bench_lead AS
                  SELECT id, row_number() OVER (ORDER BY id) AS rn, create_date, stage_id FROM crm_lead
                   WHERE name LIKE 'Bench Deal %%' AND id <> %s""", [lead.id])
    # stage history: new -> second stage after 3 days, -> final stage after 10 days
    for step, (days, old_expr, new_expr) in enumerate([
            (3, f"{stage_ids[0]}", f"{open_stages[min(1, len(open_stages) - 1)]}"),
            (10, f"{open_stages[min(1, len(open_stages) - 1)]}", "bl.stage_id")]):
        cloner.clone("mail_message", message.id, leads, {
            "res_id": "bl.id", "date": f"bl.create_date + interval '{days} days'",
            "message_id": f"'bench-{step}-' || g", "body": "NULL",
        }, extra_from="JOIN bench_lead bl ON bl.rn = g.g")
        cr.execute(f"""CREATE TEMP TABLE bench_message_{step} AS
                       SELECT id, row_number() OVER (ORDER BY id) AS rn FROM mail_message
                        WHERE message_id LIKE 'bench-{step}-%'""")  # noqa: S608 - step is a loop counter
        cloner.clone("mail_tracking_value", tracking.id, leads, {
            "mail_message_id": "bm.id", "old_value_integer": old_expr, "new_value_integer": new_expr,
        }, extra_from=f"JOIN bench_message_{step} bm ON bm.rn = g.g JOIN bench_lead bl ON bl.rn = g.g")
    cr.execute("ANALYZE")
    env.invalidate_all()
    print(f"bench analytics setup data {time.time() - started:.1f} s: {customers} customers, {args.products} "
          f"products, {orders} orders, {lines} order lines, {leads} opportunities", flush=True)


def timed(label, func):
    started = time.time()
    result = func()
    print(f"bench analytics {label} {time.time() - started:.2f} s {result}", flush=True)
    return result


def measure(env):
    today = date.today()
    date_to = date(today.year, today.month, 1) + relativedelta(months=1)
    date_from = date_to - relativedelta(months=12)
    classifier = env["crm.analytics.classifier"]
    env["ir.config_parameter"].set_param("crm_analytics.rfm_source", "order")
    timed("abc_xyz_recompute", lambda: classifier.recompute_abc_xyz(date_from, date_to))
    timed("rfm_recompute", lambda: {"partners": classifier.recompute_rfm()["partners"]})
    env.invalidate_all()

    def groups(model, groupby, aggregates):
        return lambda: f"({len(env[model]._read_group([], groupby, aggregates))} groups)"

    timed("funnel_by_stage", groups("crm.analytics.funnel", ["stage_id"],
                                    ["nbr:sum", "expected_revenue:sum", "conversion_rate:avg", "days_in_stage:avg"]))
    timed("funnel_by_salesperson", groups("crm.analytics.funnel", ["user_id"], ["nbr:sum", "conversion_rate:avg"]))
    timed("managers_by_salesperson", groups("crm.analytics.manager", ["user_id"],
                                            ["revenue_confirmed:sum", "won_count:sum", "lost_count:sum",
                                             "win_rate:avg", "deal_size:avg", "cycle_days:avg"]))
    timed("abc_xyz_matrix", groups("crm.analytics.abc.xyz", ["abc_class", "xyz_class"], ["nbr:sum", "revenue:sum"]))
    timed("odoo_sale_report_by_customer", groups("sale.report", ["partner_id"], ["price_subtotal:sum"]))


def main():
    args = parse_args()
    settings = env_settings("analytics")
    started = time.time()
    drop_database(settings, args.db)  # generated data must not pile up on a kept database
    create_database(settings, args.db, "crm_analytics", args.template, extra_args=["--max-cron-threads", "0"])
    print(f"bench analytics setup install {time.time() - started:.1f} s", flush=True)
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = open_registry(settings, args.db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            generate(env, args)
            cr.commit()
            measure(env)
            cr.rollback()
    finally:
        if not args.keep:
            Registry.delete(args.db)
            drop_database(settings, args.db)


if __name__ == "__main__":
    main()
