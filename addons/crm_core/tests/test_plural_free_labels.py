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

    def test_rotting_badge_is_odoo_own(self):
        """The kanban card shows Odoo's rotting badge (its widget renders the translatable "%(numberOfDays)sd"),
        never hidden behind a badge of ours that would glue a number to "days"."""
        arch = self._arch("crm.lead", "kanban")
        badge_field = arch.xpath("//footer//field[@name='rotting_days']")[0]
        self.assertEqual(badge_field.get("widget"), "rotting")
        self.assertNotIn(badge_field.get("invisible"), ("1", "True", "true"))
        self.assertFalse(arch.xpath("//span[@name='idle_days_unit']"))
