from contextlib import contextmanager

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestEdrpouRpc(HttpCase):
    """A caller over real JSON-RPC cannot store a wrong ЄДРПОУ on a Ukrainian partner, whatever
    method or context it sends: the call fails with a ValidationError and nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, login="ua_rpc_clerk", groups="base.group_user,crm_core.group_crm_data_operator")
        cls.ukraine = cls.env.ref("base.ua")
        cls.partner = cls.env["res.partner"].create({
            "name": "ТОВ «Чесний код»", "is_company": True, "country_id": cls.ukraine.id,
            "company_registry": "32855961"})

    def _call(self, method, *args, **kwargs):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/res.partner/{method}", {
            "model": "res.partner", "method": method, "args": list(args), "kwargs": kwargs})

    @contextmanager
    def _refused(self):
        """The call fails with a ValidationError sent back by JSON-RPC (and logged by the server)."""
        with self.assertLogs("odoo.http", "WARNING") as logs, self.assertRaises(JsonRpcException) as caught:
            yield
        self.assertEqual(str(caught.exception), "odoo.exceptions.ValidationError")
        self.assertIn("EDRPOU code", "\n".join(logs.output))

    def _state(self):
        self.env.invalidate_all()
        return self.partner.read(["company_registry", "country_id", "name"])

    def test_bad_code_refused_on_write_and_web_save(self):
        before = self._state()
        self.authenticate("ua_rpc_clerk", "ua_rpc_clerk")
        with self._refused():
            self._call("write", [self.partner.id], {"company_registry": "32855968"})
        with self._refused():
            self._call("web_save", [self.partner.id], {"company_registry": "3285596"},
                       specification={"company_registry": {}},
                       context={"no_validate": True, "skip_constraints": True})
        self.assertEqual(self._state(), before)

    def test_bad_code_refused_on_create_and_nothing_is_created(self):
        partners = self.env["res.partner"].with_context(active_test=False).search_count([])
        self.authenticate("ua_rpc_clerk", "ua_rpc_clerk")
        with self._refused():
            self._call("create", [{"name": "ТОВ «Хибний код»", "is_company": True,
                                   "country_id": self.ukraine.id, "company_registry": "00032128"}])
        with self._refused():
            self._call("web_save", [], {"name": "ТОВ «Хибний код»", "country_id": self.ukraine.id,
                                        "company_registry": "0003212"}, specification={})
        self.env.invalidate_all()
        self.assertEqual(self.env["res.partner"].with_context(active_test=False).search_count([]), partners)

    def test_moving_to_ukraine_with_a_foreign_code_is_refused(self):
        belgian = self.env["res.partner"].create({
            "name": "Foreign Ltd", "is_company": True, "country_id": self.env.ref("base.be").id,
            "company_registry": "0477472701"})
        self.authenticate("ua_rpc_clerk", "ua_rpc_clerk")
        with self._refused():
            self._call("write", [belgian.id], {"country_id": self.ukraine.id})
        self.env.invalidate_all()
        self.assertEqual(belgian.country_id, self.env.ref("base.be"))
