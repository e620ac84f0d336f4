#!/usr/bin/env python3
"""SQL queries spent rendering the customer 360 key figures of 10 and of 80 partners.

Run through ``python3 scripts/crmctl.py bench partner_key_figures`` (which sets
CRM_ADDONS_PATH, CRM_CONFIG, CRM_DATA_DIR, CRM_DB_PORT, CRM_DB_USER). The script
installs crm_core into its own database, builds customers with contacts, deals,
quotations and interactions inside a transaction it rolls back, then counts the
queries of reading the key figures, next to Odoo's own per-partner counters
(``opportunity_count``, ``sale_order_count``) measured in the same run.

Prints lines like ``bench partner_key_figures partners=10 queries=2 odoo_counters_queries=5``, then
``bench partner_key_figures timeline queries=…`` (one page of a contact's timeline).
"""
import argparse

from benchlib import drop_database, env_settings, fresh_database, open_registry


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="bench_partner_key_figures", help="database to create (dropped at the end)")
    parser.add_argument("--sizes", default="10,80", help="comma-separated numbers of partners to measure")
    parser.add_argument("--template", help="clone this database first (e.g. tpl_base) instead of an empty one")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (and reuse it if present)")
    return parser.parse_args()










def build_customers(env, count):
    """``count`` organisations, each with two contacts, deals, a quotation and an interaction."""
    from odoo.fields import Command
    companies = env["res.partner"].create([
        {"name": f"ООО Бенч {index}", "is_company": True} for index in range(count)])
    contacts = env["res.partner"].create([
        {"name": f"Контакт {index}-{person}", "parent_id": company.id}
        for index, company in enumerate(companies) for person in range(2)])
    env["crm.lead"].create([
        {"name": f"Сделка {contact.name}", "type": "opportunity", "partner_id": contact.id,
         "expected_revenue": 1000.0, "probability": 30.0}
        for contact in contacts])
    product = env["product.product"].create({"name": "Бенч товар", "list_price": 10.0})
    env["sale.order"].create([
        {"partner_id": company.id, "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]}
        for company in companies])
    env["crm.interaction"].create([
        {"name": "Звонок", "interaction_type": "call", "partner_id": company.id} for company in companies])
    return companies, contacts


def count_queries(env, records, fnames):
    env.invalidate_all()
    records.fetch(["name", "commercial_partner_id"])  # a list or form shows the partners themselves anyway
    before = env.cr.sql_log_count
    records.read(fnames)
    return env.cr.sql_log_count - before


def measure(settings, args, sizes):
    from odoo import api

    registry = open_registry(settings, args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        companies, contacts = build_customers(env, max(sizes))
        admin = env.ref("base.user_admin")
        key_figures = ["crm_open_deal_count", "crm_open_deal_weighted", "crm_won_revenue_year",
                       "crm_quotation_count", "crm_quotation_amount", "crm_unpaid_invoice_count",
                       "crm_unpaid_amount", "crm_interaction_count", "crm_last_interaction_date",
                       "crm_next_interaction_date"]
        odoo_counters = ["opportunity_count", "sale_order_count"]
        # warm the per-user caches (record rules, access rights) as any running server has them
        warm = companies[-1:].with_user(admin).with_prefetch()
        count_queries(warm.env, warm, key_figures + odoo_counters)
        for size in sizes:
            partners = contacts[:size].with_user(admin).with_prefetch()
            ours = count_queries(partners.env, partners, key_figures)
            theirs = count_queries(partners.env, partners, odoo_counters)
            print(f"bench partner_key_figures partners={size} queries={ours} odoo_counters_queries={theirs}",
                  flush=True)
        # one page of a contact's timeline (every source of the organisation), as the partner form shows it
        contact = contacts[:1].with_user(admin)
        contact.crm_timeline_get(limit=20)  # warm the caches of its sources' rules
        contact.env.invalidate_all()
        before = cr.sql_log_count
        contact.crm_timeline_get(limit=20)
        print(f"bench partner_key_figures timeline queries={cr.sql_log_count - before}", flush=True)
        cr.rollback()


def main():
    args = parse_args()
    settings = env_settings("partner_key_figures")
    sizes = [int(size) for size in args.sizes.split(",")]
    created = fresh_database(settings, args, "crm_core")
    try:
        measure(settings, args, sizes)
    finally:
        if created and not args.keep:
            drop_database(settings, args.db)


if __name__ == "__main__":
    main()
