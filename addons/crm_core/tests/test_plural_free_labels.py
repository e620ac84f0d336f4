from lxml import etree

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPluralFreeLabels(TransactionCase):
    """Counts are shown beside a label ("Open Deals" under the number), never inside a sentence:
    "1 открытых сделок" cannot be translated right without plural forms."""

    def _arch(self, model, view_type):
        return etree.fromstring(self.env[model].get_views([(False, view_type)])["views"][view_type]["arch"])

    def test_partner_crm_tab_counts_stand_above_their_labels(self):
        page = self._arch("res.partner", "form").xpath("//page[@name='crm_360']")[0]
        values = page.xpath(".//span[hasclass('o_stat_value')]")
        self.assertEqual(len(values), 3)
        for value in values:
            counter = value.xpath("./field")
            self.assertEqual(len(counter), 1, "the number alone")
            self.assertFalse("".join(value.itertext()).strip(), "no word glued to the number")
            self.assertFalse((counter[0].tail or "").strip())
            label = value.getnext()
            self.assertIn("o_stat_text", label.get("class"))
            self.assertTrue(label.text.strip(), "a label of its own under the number")

    def test_idle_badge_has_a_translatable_unit(self):
        badge_field = self._arch("crm.lead", "kanban").xpath("//footer//field[@name='idle_days']")[0]
        self.assertFalse((badge_field.tail or "").strip(), "no bare 'd' after the number")
        unit = badge_field.getnext()
        self.assertEqual(unit.get("name"), "idle_days_unit")
        self.assertEqual(unit.text, "days")
