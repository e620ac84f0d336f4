from odoo import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import sql

from .common_migration import load_migration


@tagged("post_install", "-at_install")
class TestMigrationDealLine(TransactionCase):
    """The upgrade from 19.0.1.0.0 keeps every deal line under the new names (crm.deal.line, crm_*
    fields on crm.lead). The old state is rebuilt inside the test's transaction (PostgreSQL's DDL is
    transactional) by the migration's own steps run backwards, then the migration runs forwards."""

    def setUp(self):
        super().setUp()
        self.migration = load_migration("crm_core", "19.0.1.1.0", "pre-rename-deal-line")
        customer = self.env["res.partner"].create({"name": "Миграция: покупатель"})
        self.product = self.env["product.product"].create({"name": "Миграция: кресло", "list_price": 150.0})
        self.deal = self.env["crm.lead"].create({
            "name": "Миграция: сделка", "type": "opportunity", "partner_id": customer.id,
            "crm_deal_line_ids": [Command.create({"product_id": self.product.id, "product_uom_qty": 3})],
        })
        self.line = self.deal.crm_deal_line_ids
        self.attachment = self.env["ir.attachment"].create(
            {"name": "spec.txt", "raw": b"x", "res_model": "crm.deal.line", "res_id": self.line.id})
        self.favourite = self.env["ir.filters"].create({
            "name": "Сделки с товарами", "model_id": "crm.lead",
            "domain": "[('crm_deal_line_ids', '!=', False), ('crm_currency_id', '=', 1),"
                      " ('partner_id.currency_id', '!=', False)]"})
        self.env.flush_all()

    def _run(self, backwards=False):
        module = self.migration
        if backwards:
            saved = (module.OLD_MODEL, module.NEW_MODEL, module.OLD_TABLE, module.NEW_TABLE, module.LEAD_FIELDS)
            module.OLD_MODEL, module.NEW_MODEL = module.NEW_MODEL, module.OLD_MODEL
            module.OLD_TABLE, module.NEW_TABLE = module.NEW_TABLE, module.OLD_TABLE
            module.LEAD_FIELDS = {new: old for old, new in module.LEAD_FIELDS.items()}
            try:
                module.migrate(self.env.cr, "19.0.1.0.0")
            finally:
                (module.OLD_MODEL, module.NEW_MODEL, module.OLD_TABLE, module.NEW_TABLE,
                 module.LEAD_FIELDS) = saved
        else:
            module.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()

    def _columns(self, table):
        return set(sql.table_columns(self.env.cr, table)) if sql.table_exists(self.env.cr, table) else set()

    def test_upgrade_keeps_lines_under_new_names(self):
        self._run(backwards=True)
        cr = self.env.cr
        # the state of a 19.0.1.0.0 database
        self.assertEqual(self.favourite.domain, "[('lead_line_ids', '!=', False), ('currency_id', '=', 1),"
                                                " ('partner_id.currency_id', '!=', False)]")
        self.assertTrue(sql.table_exists(cr, "crm_lead_line"))
        self.assertFalse(sql.table_exists(cr, "crm_deal_line"))
        self.assertTrue({"pricelist_id", "currency_id"} <= self._columns("crm_lead"))
        cr.execute("SELECT model FROM ir_model WHERE id = %s", [self.env["ir.model"]._get_id("crm.lead.line")])
        self.assertEqual(cr.fetchone(), ("crm.lead.line",))

        self._run()
        self.assertFalse(sql.table_exists(cr, "crm_lead_line"))
        self.assertTrue({"crm_pricelist_id", "crm_currency_id"} <= self._columns("crm_lead"))
        self.assertFalse({"pricelist_id", "currency_id"} & self._columns("crm_lead"))
        line = self.env["crm.deal.line"].browse(self.line.id)
        self.assertEqual((line.lead_id, line.product_id, line.product_uom_qty, line.price_subtotal),
                         (self.deal, self.product, 3.0, 450.0))
        self.assertEqual(self.deal.crm_deal_line_amount, 450.0)
        self.assertEqual(self.attachment.res_model, "crm.deal.line")
        self.assertEqual(self.favourite.domain, "[('crm_deal_line_ids', '!=', False), ('crm_currency_id', '=', 1),"
                                                " ('partner_id.currency_id', '!=', False)]",
                         "the deal's fields renamed, the partner's currency left alone")
        self.assertEqual(self.env.ref("crm_core.model_crm_deal_line").model, "crm.deal.line")
        self.assertTrue(self.env.ref("crm_core.view_crm_deal_line_list"))
        self.assertTrue(self.env.ref("crm_core.field_crm_lead__crm_deal_line_ids"))
        cr.execute("SELECT conname FROM pg_constraint"
                   " WHERE conrelid = 'crm_deal_line'::regclass AND conname LIKE 'crm_lead%%'")
        self.assertFalse(cr.fetchall(), "constraints renamed with the table")
        # a new line still gets an id from the renamed sequence
        new_line = self.env["crm.deal.line"].create({"lead_id": self.deal.id, "product_id": self.product.id})
        self.assertGreater(new_line.id, self.line.id)

    def test_second_run_changes_nothing(self):
        cr = self.env.cr
        cr.execute("SELECT count(*) FROM ir_model_data WHERE name LIKE '%%crm_deal_line%%'")
        before = cr.fetchone()
        self._run()
        cr.execute("SELECT count(*) FROM ir_model_data WHERE name LIKE '%%crm_deal_line%%'")
        self.assertEqual(cr.fetchone(), before)
        self.assertTrue(sql.table_exists(cr, "crm_deal_line"))
        self.assertEqual(self.env["crm.deal.line"].browse(self.line.id).product_uom_qty, 3.0)
