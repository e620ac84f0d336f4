from odoo.tests import new_test_user, tagged

from .common_migration import load_migration
from .common_settings import CrmSettingsCase


@tagged("post_install", "-at_install")
class TestCrmCoreSettings(CrmSettingsCase):

    def test_win_deals_on_order_confirmation(self):
        self.assertSettingRead(
            "crm_deal_won_on_order_confirm", self.env["crm.lead"]._is_win_on_order_confirm_enabled,
            default=False, stored="True", expected=True, garbage="perhaps")
        self._store("crm_deal_won_on_order_confirm", "False")
        self.assertFalse(self.env["crm.lead"]._is_win_on_order_confirm_enabled(), "the former text of 'off'")

    def test_win_deals_on_order_confirmation_is_on_in_a_new_database(self):
        param = self.env.ref("crm_core.config_deal_won_on_order_confirm", raise_if_not_found=False)
        if param:
            self.assertEqual(param.value, "True")
        self.assertTrue(self.env["crm.lead"]._is_win_on_order_confirm_enabled())
        self.assertTrue(self.env["res.config.settings"].create({}).crm_deal_won_on_order_confirm)

    def test_win_deals_on_order_confirmation_saved_from_the_screen(self):
        for value in (False, True, False):
            with self.subTest(value=value):
                self.env["res.config.settings"].create({"crm_deal_won_on_order_confirm": value}).execute()
                self.assertEqual(self.env["crm.lead"]._is_win_on_order_confirm_enabled(), value)
                self.assertEqual(self.env["res.config.settings"].create({}).crm_deal_won_on_order_confirm, value)

    def test_sales_plan_achievement_source(self):
        self.assertSettingRead(
            "crm_plan_achievement_source", self.env["crm.sales.plan"]._get_achievement_source,
            default="won_deals", stored="sale_orders", expected="sale_orders", garbage="invoices")

    def test_salesperson_edits_personal_data(self):
        self.assertSettingRead(
            "crm_personal_data_salesperson_edit", self.env["res.partner"]._crm_personal_data_salesperson_allowed,
            default=False, stored="True", expected=True, garbage="oui")
        self._store("crm_personal_data_salesperson_edit", "False")
        self.assertFalse(self.env["res.partner"]._crm_personal_data_salesperson_allowed())

    def test_import_limits(self):
        Settings = self.env["res.config.settings"]
        self.assertSettingRead(
            "crm_import_max_size_mb", lambda: Settings._crm_get_setting("crm_import_max_size_mb"),
            default=20.0, stored="0.5", expected=0.5, garbage="20 MB")
        self.assertSettingRead(
            "crm_import_sync_max_rows", lambda: Settings._crm_get_setting("crm_import_sync_max_rows"),
            default=2000, stored="150", expected=150, garbage="1.5e3")

    def test_a_salesperson_reads_settings_without_access_to_parameters(self):
        salesman = new_test_user(self.env, login="settings_reader", groups="sales_team.group_sale_salesman")
        self._store("crm_plan_achievement_source", "sale_orders")
        self.assertEqual(self.env["crm.sales.plan"].with_user(salesman)._get_achievement_source(), "sale_orders")

    def test_reader_refuses_a_field_that_is_no_setting(self):
        with self.assertRaises(ValueError):
            self.env["res.config.settings"]._crm_get_setting("company_id")

    def test_migration_keeps_win_on_confirm_as_it_was(self):
        migration = load_migration("crm_core", "19.0.1.1.0", "post-settings")
        lead = self.env["crm.lead"]
        for before, after in ((False, True), ("True", True), ("False", False), ("0", False)):
            with self.subTest(before=before):
                self._store("crm_deal_won_on_order_confirm", before)
                migration.migrate(self.env.cr, "19.0.1.0.0")
                self.assertEqual(lead._is_win_on_order_confirm_enabled(), after)
                self.assertEqual(self.env["res.config.settings"].create({}).crm_deal_won_on_order_confirm, after,
                                 "the settings screen agrees")
