import os
import struct
import tempfile
from datetime import date
from pathlib import Path
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_tour import CrmTourCase, untranslated_candidates

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestCrmTourFramework(CrmTourCase):
    """The tour framework itself: Russian, both sizes, expected values, checks that do fail.

    Tours: crm_core/static/tests/tours/crm_core_tour_framework_tour.js.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="h7_tour_manager", name="Тур Руководителев",
            groups="sales_team.group_sale_manager", tz="Europe/Moscow")
        cls.env_ru = cls.env(context=dict(cls.env.context, lang="ru_RU"))
        cls.purchaser_role = cls.env.ref("crm_core.crm_contact_role_purchaser")

    def _roles_tour(self, mode, **expected):
        values = {
            "mode": mode,
            "action_name": self.env_ru.ref("crm_core.action_crm_contact_role").name,
            "role_name": self.purchaser_role.with_env(self.env_ru).name,
            **expected,
        }
        self.start_crm_tour("/odoo/action-crm_core.action_crm_contact_role", "crm_core_tour_framework_tour",
                            login=self.manager.login, expected=values)

    def _english_term(self):
        """A phrase of ours that the Russian translation replaces, as the check knows it."""
        candidates = untranslated_candidates(self.tour_addons, self.tour_lang)
        return next(term for term in candidates if isinstance(term, str) and term.count(" ") >= 2)

    def test_tour_format_as_the_russian_web_client(self):
        rub = self.env.ref("base.RUB")
        self.assertEqual(self.tour_format(1234567.891), f"1{NBSP}234{NBSP}567,89")
        self.assertEqual(self.tour_format(1234567.891, digits=1), f"1{NBSP}234{NBSP}567,9")
        self.assertEqual(self.tour_format(98765.4, "integer"), f"98{NBSP}765")
        self.assertEqual(self.tour_format(0.125, "percent"), "12,5%")
        self.assertEqual(self.tour_format(0.5, "percent"), "50%")
        rub.position = "after"
        self.assertEqual(self.tour_format(-1500.0, "monetary", currency=rub), f"-1{NBSP}500,00{NBSP}{rub.symbol}")
        self.assertEqual(self.tour_format(1500.0, "monetary", currency=rub, digits=0), f"1{NBSP}500{NBSP}{rub.symbol}")
        self.assertEqual(self.tour_format(date(2026, 3, 9), "date_numeric"), "09.03.2026")
        with freeze_time("2026-12-03"):
            self.assertEqual(self.tour_format(date(2026, 3, 9), "date"), "9 мар.")
            self.assertRegex(self.tour_format(date(2025, 5, 9), "date"), r"^9 мая 2025\s+г\.$")
        with self.assertRaises(ValueError):
            self.tour_format(1, "weekday")

    def test_untranslated_candidates_leave_out_odoo_and_short_terms(self):
        candidates = untranslated_candidates(self.tour_addons, self.tour_lang)
        terms = {term if isinstance(term, str) else term["t"] for term in candidates}
        self.assertIn("Contact Roles", terms)  # ours, translated in ru.po
        self.assertNotIn("Customer", terms)  # also a msgid of Odoo's addons
        self.assertFalse([term for term in terms if len(term.split()) == 1 and len(term.strip(":.…")) < 4])
        self.assertFalse([term for term in terms if "<" in term and ">" in term])

    def test_translated_page_passes_in_russian(self):
        with tempfile.TemporaryDirectory() as directory, patch.dict(os.environ, {"CRM_SCREENSHOTS": directory}):
            self._roles_tour("check")
            # one screenshot per size, named after it, of the size of the window
            for size in self.tour_sizes:
                png = (Path(directory) / f"crm_tour_framework_{size}.png").read_bytes()
                width, height = struct.unpack(">II", png[16:24])
                self.assertEqual(f"{width}x{height}", size)

    def test_each_size_starts_from_the_same_data(self):
        self._roles_tour("create", new_role="Тур-роль")
        roles = self.env["crm.contact.role"].with_context(lang="ru_RU").search([("name", "like", "Тур-роль")])
        # the role the first size created was rolled back; the last size's stays for the test
        self.assertEqual(roles.mapped("name"), [f"Тур-роль {self.tour_sizes[-1]}"])

    def test_english_term_of_ours_fails(self):
        term = self._english_term()
        with mute_logger(f"{self._logger.name}.browser"), self.assertRaises(AssertionError) as caught:
            self._roles_tour("term", english_term=term)
        self.assertIn(f'untranslated term "{term}"', str(caught.exception))
        self.assertIn(f"at {self.tour_sizes[0]}", str(caught.exception))

    def test_overlapping_controls_fail(self):
        with mute_logger(f"{self._logger.name}.browser"), self.assertRaises(AssertionError) as caught:
            self._roles_tour("overlap")
        self.assertRegex(str(caught.exception),
                         r"control panel: <div\.o_searchview[^>]*> overlaps <div\.o_crm_tour_probe>")

    def test_wrapped_button_fails(self):
        with mute_logger(f"{self._logger.name}.browser"), self.assertRaises(AssertionError) as caught:
            self._roles_tour("wrap")
        self.assertIn('the text of <button.btn.btn-secondary.o_crm_tour_probe> "Создать лиды" wraps onto several lines',
                      str(caught.exception))

    def test_unknown_expected_key_fails(self):
        with mute_logger(f"{self._logger.name}.browser"), self.assertRaises(AssertionError) as caught:
            self.start_crm_tour("/odoo/action-crm_core.action_crm_contact_role", "crm_core_tour_framework_tour",
                                login=self.manager.login, expected={"mode": "check"})
        self.assertIn('expected("action_name"): the test handed over no such value (keys: mode)',
                      str(caught.exception))

    def test_monetary_and_date_shown_as_tour_format_says(self):
        # the browser keeps the real clock: one date of this year (no year shown), one of another
        this_year = fields.Date.context_today(self.manager).year
        deals = self.env["crm.lead"].create([{
            "name": "Тур: стеллажи для склада",
            "type": "opportunity",
            "user_id": self.manager.id,
            "expected_revenue": 1234567.89,
            "date_deadline": date(this_year, 3, 9),
        }, {
            "name": "Тур: стеллажи, прошлый год",
            "type": "opportunity",
            "user_id": self.manager.id,
            "expected_revenue": 0.5,
            "date_deadline": date(this_year - 1, 5, 9),
        }])
        rows = [{
            "name": deal.name,
            "revenue": self.tour_format(deal.expected_revenue, "monetary", currency=deal.company_currency),
            "deadline": self.tour_format(deal.date_deadline, "date"),
        } for deal in deals]
        self.assertEqual(rows[0]["deadline"], "9 мар.")
        self.assertRegex(rows[1]["deadline"], rf"^9 мая {this_year - 1}\s+г\.$")
        self.start_crm_tour("/odoo/action-crm.crm_lead_action_pipeline?view_type=list", "crm_core_tour_values_tour",
                            login=self.manager.login, expected={"rows": rows})
