from odoo import Command
from odoo.addons.crm_core.migrations.field_rename import rename_fields
from odoo.addons.crm_core.tests.common_migration import load_migration
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import sql

# (addon, version) of the pre-migrations "pre-prefix-fields" that put the crm_ prefix on our fields of Odoo's models
MIGRATIONS = [("crm_core", "19.0.1.2.0"), ("crm_marketing", "19.0.1.2.0"), ("crm_core_mrp", "19.0.1.1.0")]


def _scripts():
    return [(addon, load_migration(addon, version, "pre-prefix-fields")) for addon, version in MIGRATIONS]


@tagged("post_install", "-at_install")
class TestMigrationFieldPrefix(TransactionCase):
    """The upgrade to 19.0.1.2.0 keeps every value, index, tracked change, saved filter and export template
    of the deal fields that took the ``crm_`` prefix. The old state is rebuilt inside the test's
    transaction (PostgreSQL's DDL is transactional) by renaming backwards; then each script runs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rival, cls.other = cls.env["crm.competitor"].create([{"name": "Миграция: Насоспром"},
                                                                  {"name": "Миграция: Гидромаш"}])
        customer = cls.env["res.partner"].create({"name": "Миграция: покупатель"})
        cls.deal = cls.env["crm.lead"].with_context(mail_notrack=False).create({
            "name": "Миграция: сделка", "type": "opportunity", "partner_id": customer.id,
            "crm_competitor_ids": [Command.set((cls.rival | cls.other).ids)],
        })
        # a change is tracked on a deal created before (as a commit would, the precommit ends the creation)
        cls.env.cr.flush()
        cls.deal.crm_lost_competitor_id = cls.other
        cls.env.cr.flush()
        cls.env["crm.interaction"].create({"partner_id": customer.id, "lead_id": cls.deal.id,
                                            "interaction_type": "call", "name": "Миграция: звонок"})
        cls.favourite = cls.env["ir.filters"].create({
            "name": "Проиграно конкурентам", "model_id": "crm.lead",
            "domain": "[('crm_lost_competitor_id', '!=', False), ('partner_id.crm_competitor_ids', '=', 1)]",
            "context": "{'group_by': ['crm_lost_competitor_id']}"})
        cls.export = cls.env["ir.exports"].create({
            "name": "Сделки и конкуренты", "resource": "crm.lead",
            "export_fields": [Command.create({"name": "crm_competitor_ids/name"}),
                              Command.create({"name": "crm_lost_competitor_id"}),
                              Command.create({"name": "partner_id/name"})]})
        cls.reason = cls.env["crm.lost.reason"].create({"name": "Миграция: дешевле", "crm_competitor_id": cls.rival.id})
        seller = new_test_user(cls.env, login="mig_seller", groups="sales_team.group_sale_salesman")
        team = cls.env["crm.team"].create({"name": "Миграция: отдел", "member_ids": [Command.set(seller.ids)]})
        cls.member = team.crm_team_member_ids
        cls.member.write({"crm_absent_from": "2026-03-09", "crm_distribution_weight": 3.0,
                          "crm_territory_country_ids": [Command.set(cls.env.ref("base.ru").ids)]})
        cls.product = cls.env["product.template"].create({"name": "Миграция: насос",
                                                          "crm_positioning_note": "<p>Дешевле НасосПрома</p>"})
        cls.own_view = cls.env["ir.ui.view"].create({
            "name": "Проигранные сделки (вид пользователя)", "model": "crm.lead", "type": "list",
            "arch": '<list><field name="crm_lost_competitor_id"/><field name="crm_interaction_count"/></list>'})
        cls.env.flush_all()

    def _backwards(self):
        for _addon, script in _scripts():
            for model, renames in script.RENAMES.items():
                rename_fields(self.env.cr, model, {new: old for old, new in renames.items()})
        self.env.invalidate_all()

    def _forwards(self):
        for _addon, script in _scripts():
            script.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()

    def _state(self):
        cr = self.env.cr
        cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'crm_lead' AND indexname LIKE %s",
                   ["%lost_competitor_id%"])
        indexes = sorted(name for (name,) in cr.fetchall())
        cr.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'crm_lead'::regclass AND conname LIKE %s",
                   ["%lost_competitor_id%"])
        constraints = sorted(name for (name,) in cr.fetchall())
        cr.execute("""SELECT f.name FROM mail_tracking_value v JOIN ir_model_fields f ON f.id = v.field_id
                       WHERE v.mail_message_id IN (
                             SELECT id FROM mail_message WHERE model = 'crm.lead' AND res_id = %s)""",
                   [self.deal.id])
        tracked = sorted(name for (name,) in cr.fetchall())
        return indexes, constraints, tracked

    def test_upgrade_keeps_everything_under_the_prefixed_names(self):
        cr = self.env.cr
        self._backwards()
        # the state of a 19.0.1.1.0 database
        self.assertIn("lost_competitor_id", sql.table_columns(cr, "crm_lead"))
        self.assertEqual(self._state(), (["crm_lead__lost_competitor_id_index"], ["crm_lead_lost_competitor_id_fkey"],
                                         ["lost_competitor_id"]))
        self.assertEqual(self.favourite.domain,
                         "[('lost_competitor_id', '!=', False), ('partner_id.crm_competitor_ids', '=', 1)]")
        self.assertEqual(self.export.export_fields.mapped("name"),
                         ["competitor_ids/name", "lost_competitor_id", "partner_id/name"])
        self.assertEqual(self.own_view.arch_db,
                         '<list><field name="lost_competitor_id"/><field name="interaction_count"/></list>')
        cr.execute("SELECT name FROM ir_model_fields WHERE model = 'crm.lead' AND name ~ %s ORDER BY name",
                   ["^(crm_)?(interaction|competitor|lost_competitor|production)_"])
        self.assertEqual([name for (name,) in cr.fetchall()], [
            "competitor_ids", "interaction_count", "interaction_ids", "lost_competitor_id", "production_count",
            "production_ids"])

        self._forwards()
        self.assertNotIn("lost_competitor_id", sql.table_columns(cr, "crm_lead"))
        self.assertEqual(self._state(), (["crm_lead__crm_lost_competitor_id_index"],
                                         ["crm_lead_crm_lost_competitor_id_fkey"], ["crm_lost_competitor_id"]),
                         "the index and foreign key keep their Odoo names, the tracked change its field")
        self.assertEqual((self.deal.crm_lost_competitor_id, self.deal.crm_competitor_ids),
                         (self.other, self.rival | self.other))
        self.assertEqual(self.deal.crm_interaction_count, 1)
        self.assertEqual(self.reason.crm_competitor_id, self.rival)
        self.assertEqual((str(self.member.crm_absent_from), self.member.crm_distribution_weight,
                          self.member.crm_territory_country_ids), ("2026-03-09", 3.0, self.env.ref("base.ru")))
        self.assertEqual(self.product.crm_positioning_note, "<p>Дешевле НасосПрома</p>")
        self.assertEqual(self.favourite.domain,
                         "[('crm_lost_competitor_id', '!=', False), ('partner_id.crm_competitor_ids', '=', 1)]",
                         "the deal's own field renamed, a partner's field of the same name left alone")
        self.assertEqual(self.favourite.context, "{'group_by': ['crm_lost_competitor_id']}")
        self.assertEqual(self.export.export_fields.mapped("name"),
                         ["crm_competitor_ids/name", "crm_lost_competitor_id", "partner_id/name"])
        cr.execute("SELECT name FROM ir_model_fields WHERE model = 'crm.lead' AND name ~ %s ORDER BY name",
                   ["^(crm_)?(interaction|competitor|lost_competitor|production)_"])
        self.assertEqual([name for (name,) in cr.fetchall()], [
            "crm_competitor_ids", "crm_interaction_count", "crm_interaction_ids", "crm_lost_competitor_id",
            "crm_production_count", "crm_production_ids"])
        for addon, script in _scripts():
            for model, renames in script.RENAMES.items():
                for new in renames.values():
                    field = self.env.ref(f"{addon}.field_{model.replace('.', '_')}__{new}")
                    self.assertEqual((field.model, field.name), (model, new))

        self.assertEqual(self.own_view.arch_db,
                         '<list><field name="crm_lost_competitor_id"/><field name="crm_interaction_count"/></list>',
                         "a view of the user's own keeps working")

        state = self._state()
        self._forwards()
        self.assertEqual(self._state(), state, "a second run changes nothing")
