import json
import math

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common_settings import READER_LOGGER

MAX_SIZE_PARAM = "crm_core.import_max_size_mb"


@tagged("post_install", "-at_install")
class TestAttackSettings(HttpCase):
    """Settings are numbers the business code trusts: NaN and infinities (JSON-RPC carries ``NaN`` and
    ``Infinity``; a parameter can be typed by hand) are no limit and must never switch one off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, login="host_settings_admin", groups="base.group_system")

    def _param(self):
        self.env.invalidate_all()
        return self.env["ir.config_parameter"].sudo().get_param(MAX_SIZE_PARAM)

    def test_stored_nan_or_infinite_size_reads_as_the_default(self):
        Settings = self.env["res.config.settings"]
        for stored in ("nan", "inf", "-Infinity", "1e400"):
            with self.subTest(stored=stored):
                self.env["ir.config_parameter"].sudo().set_param(MAX_SIZE_PARAM, stored)
                with self.assertLogs(READER_LOGGER, "WARNING"):
                    self.assertEqual(Settings._crm_get_setting("crm_import_max_size_mb"), 20.0)

    def test_saving_nan_or_infinite_size_is_refused(self):
        before = self._param()
        self.authenticate("host_settings_admin", "host_settings_admin")
        for value in (math.nan, math.inf):
            with self.subTest(value=value), mute_logger("odoo.http"):
                # json.dumps writes NaN and Infinity (requests' json= refuses them); Odoo's parser reads them
                body = json.dumps({"id": 0, "jsonrpc": "2.0", "method": "call", "params": {
                    "model": "res.config.settings", "method": "web_save",
                    "args": [[], {"crm_import_max_size_mb": value}], "kwargs": {"specification": {}}}})
                response = self.opener.post(f"{self.base_url()}/web/dataset/call_kw/res.config.settings/web_save",
                                            data=body, headers={"Content-Type": "application/json"})
                decoded = response.json()
                self.assertIn("error", decoded, decoded)
                error = decoded["error"]["data"]
                self.assertEqual(error["name"], "odoo.exceptions.ValidationError")
                self.assertIn("must be positive", error["message"])
        self.assertEqual(self._param(), before)
