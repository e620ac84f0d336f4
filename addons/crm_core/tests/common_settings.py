from odoo.tests import TransactionCase

READER_LOGGER = "odoo.addons.crm_core.models.res_config_settings"


class CrmSettingsCase(TransactionCase):
    """Each setting is read through ``res.config.settings._crm_get_setting``: unset, stored, garbage."""

    def _store(self, field_name, value):
        key = self.env["res.config.settings"]._fields[field_name].config_parameter
        # set_param(False) removes the parameter, as unticking a setting does
        self.env["ir.config_parameter"].sudo().set_param(key, value)

    def assertSettingRead(self, field_name, read, *, default, stored, expected, garbage):
        """``read()`` is the business method that reads the setting ``field_name``."""
        self._store(field_name, False)
        self.assertEqual(read(), default, "unset: the field's default")
        self.assertEqual(self.env["res.config.settings"].create({})[field_name], default,
                         "the settings screen shows the same default")
        self._store(field_name, stored)
        self.assertEqual(read(), expected, "the stored value, cast to the field's type")
        self.assertEqual(self.env["res.config.settings"].create({})[field_name], expected)
        self._store(field_name, garbage)
        with self.assertLogs("odoo", "WARNING") as logs:
            self.assertEqual(read(), default, "a value the field cannot hold falls back to the default")
            self.assertEqual(self.env["res.config.settings"].create({})[field_name], default,
                             "the settings screen still opens, showing the default")
        self.assertTrue(any(READER_LOGGER in line and field_name in line for line in logs.output), logs.output)
        self._store(field_name, False)
