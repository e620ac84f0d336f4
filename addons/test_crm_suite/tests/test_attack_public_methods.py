"""Hostile JSON-RPC callers against every public method our addons add (GitHub issue 15).

``/web/dataset/call_kw`` lets any logged-in user call any public method of any
model: Odoo refuses only names starting with ``_`` and methods marked
``@api.private`` (``odoo.service.model.get_public_method``); the method itself
must check what the caller may do.  The methods are enumerated from the
registry, so a public method added later to one of our addons is attacked
automatically: it must refuse a portal user and an employee without any CRM
group (AccessError), or be listed in ``ALLOWED`` with the reason why it is
safe, and then it must leave the database unchanged.
"""
import datetime
import inspect
import os

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import SQL, mute_logger

ACCESS_ERROR = "odoo.exceptions.AccessError"

# Public methods that are safe for the attacker: one line each on why.  Their
# call must succeed (or fail with any error) without writing anything.
ALLOWED = {
    "portal": {
        ("crm.sales.plan.line", "get_pipeline_progress"):
            "read-only counters of the pipeline: an empty list for users who may not read sales plans",
    },
    "employee": {
        ("crm.sales.plan.line", "get_pipeline_progress"):
            "read-only counters of the pipeline: an empty list for users who may not read sales plans",
        ("crm.competitor", "action_view_prices"):
            "navigation only: opens the observed prices, which every employee may read",
    },
}

# values the generic record builder cannot guess (required fields with a meaning)
RECORD_VALUES = {
    "crm.forecast.snapshot": {"month": datetime.date(2025, 1, 1)},
}

FIXED_DATE = datetime.date(2025, 1, 1)


def _our_addons_root():
    return os.path.dirname(get_module_path("test_crm_suite"))


def _is_ours(module_name, root):
    """A Python module of one of our addons: ``odoo.addons.crm_*`` installed beside this test addon
    (Odoo's own ``crm_iap_mine``, ``crm_sms``… share the prefix, not the folder)."""
    parts = (module_name or "").split(".")
    if len(parts) < 3 or parts[:2] != ["odoo", "addons"] or not parts[2].startswith("crm_"):
        return False
    path = get_module_path(parts[2], display_warning=False)
    return bool(path) and os.path.dirname(path) == root


def _is_private(model_cls, name):
    """Odoo's own rule (odoo.service.model.get_public_method)."""
    return name.startswith("_") or any(
        getattr(getattr(klass, name, None), "_api_private", False) for klass in model_cls.mro())


def our_methods(registry):
    """{(model, method): function} of the RPC-callable methods our addons introduce on any model.

    Overrides of a public method that Odoo itself defines on the model
    (create, write, default_get, action_lost_reason_apply…) are Odoo's API and
    left out; so are Python's private names.
    """
    root = _our_addons_root()
    methods = {}
    for model_name in sorted(registry):
        model_cls = registry[model_name]
        for klass in model_cls.__mro__:
            if not _is_ours(klass.__module__, root):
                continue
            for name, value in vars(klass).items():
                if name.startswith("_") or not inspect.isfunction(value) or (model_name, name) in methods:
                    continue
                if any(name in vars(other) for other in model_cls.__mro__ if not _is_ours(other.__module__, root)):
                    continue
                if _is_private(model_cls, name):
                    continue
                methods[model_name, name] = getattr(model_cls, name)
    return methods


@tagged("post_install", "-at_install")
class TestAttackPublicMethods(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.users = {
            "portal": new_test_user(cls.env, "atk_portal", groups="base.group_portal", name="Attacker Portal"),
            "employee": new_test_user(cls.env, "atk_employee", groups="base.group_user", name="Attacker Employee"),
        }
        cls.methods = our_methods(cls.env.registry)
        cls.records = {}
        for model_name in sorted({model for model, _name in cls.methods}):
            cls.records[model_name] = cls._get_record(model_name)

    # ------------------------------------------------------------------ records to attack

    @classmethod
    def _get_record(cls, model_name, depth=0):
        """One record of the model, created as superuser when possible, else an existing one."""
        if model_name in cls.records:
            return cls.records[model_name]
        Model = cls.env[model_name]
        if Model._abstract or depth > 3:
            return Model.search([], limit=1) if not Model._abstract else Model
        try:
            with mute_logger("odoo.sql_db"), cls.env.cr.savepoint():
                record = Model.create(cls._required_values(Model, depth))
                record.flush_recordset()
        except Exception:  # any model the builder cannot fill: take an existing record
            record = Model.search([], limit=1)
        cls.records[model_name] = record
        return record

    @classmethod
    def _required_values(cls, Model, depth):
        values = dict(RECORD_VALUES.get(Model._name, {}))
        defaults = Model.default_get(list(Model._fields))
        for name, field in Model._fields.items():
            # stored computed fields may be required too (crm.lead's name comes from its partner)
            if not field.required or name in values or name in defaults or field.related or not field.store:
                continue
            if field.type == "many2one":
                values[name] = cls._get_record(field.comodel_name, depth + 1)[:1].id
            elif field.type in ("char", "text", "html"):
                values[name] = f"Attack test {Model._name}"
            elif field.type == "selection":
                values[name] = field.get_values(cls.env)[0]
            elif field.type in ("integer", "float", "monetary"):
                values[name] = 1
            elif field.type == "date":
                values[name] = FIXED_DATE
            elif field.type == "datetime":
                values[name] = datetime.datetime.combine(FIXED_DATE, datetime.time(9))
        return values

    # ------------------------------------------------------------------ attack

    def _call(self, model_name, name, method):
        record = self.records[model_name]
        args = [] if getattr(method, "_api_model", False) else [record.ids]
        parameters = list(inspect.signature(method).parameters.values())[1:]
        # "empty" arguments: None for each required positional parameter
        args += [None for param in parameters
                 if param.default is param.empty and param.kind == param.POSITIONAL_OR_KEYWORD]
        with mute_logger("odoo.http"):
            return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model_name}/{name}", {
                "model": model_name, "method": name, "args": args, "kwargs": {"context": {}},
            })

    def _table_writes(self):
        """Rows inserted, updated or deleted per table by this transaction so far."""
        self.env.flush_all()
        rows = self.env.execute_query(SQL(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"))
        return {table: count for table, count in rows if count}

    def _attack_as(self, role):
        user = self.users[role]
        allowed = ALLOWED[role]
        self.authenticate(user.login, user.login)
        # a first request: what the HTTP layer itself records about a new session is not the method's
        self.make_jsonrpc_request("/web/dataset/call_kw/res.users/context_get", {
            "model": "res.users", "method": "context_get", "args": [], "kwargs": {}})
        failures = []
        for (model_name, name), method in sorted(self.methods.items()):
            record = self.records[model_name]
            if not record and not getattr(method, "_api_model", False):
                failures.append(f"{model_name}.{name}: no record to call it on (add RECORD_VALUES)")
                continue
            before, write_dates = self._table_writes(), record.read(["write_date"]) if record else []
            try:
                self._call(model_name, name, method)
                outcome = "accepted"
            except JsonRpcException as error:
                outcome = str(error)
            self.env.invalidate_all()
            if (model_name, name) in allowed:
                changed = {table: count for table, count in self._table_writes().items()
                           if before.get(table) != count}
                if changed or (record and record.read(["write_date"]) != write_dates):
                    failures.append(f"{model_name}.{name} (allowed: {allowed[model_name, name]}) wrote {changed}")
            elif outcome != ACCESS_ERROR:
                failures.append(f"{model_name}.{name}: {outcome}, not refused")
        self.assertFalse(failures, f"public methods not refused to the {role} user:\n" + "\n".join(failures))

    def test_enumeration_covers_our_addons(self):
        self.assertIn(("crm.analytics.classifier", "recompute_all"), self.methods)
        self.assertIn(("utm.campaign", "action_plan_start"), self.methods, "our methods on Odoo's models")
        self.assertNotIn(("crm.lead", "write"), self.methods, "Odoo's own API is not ours")
        self.assertNotIn(("crm.lead", "action_generate_leads"), self.methods, "crm_iap_mine is Odoo's")
        self.assertNotIn(("crm.analytics.classifier", "recompute_abc_xyz"), self.methods, "private over RPC")
        for role, allowed in ALLOWED.items():
            self.assertFalse(set(allowed) - set(self.methods), f"stale entries in ALLOWED[{role!r}]")

    def test_portal_user_is_refused(self):
        self._attack_as("portal")

    def test_employee_without_crm_groups_is_refused(self):
        self._attack_as("employee")

    def test_private_helpers_are_refused_even_to_managers(self):
        """The mass recomputations are private: not even a sales manager reaches them over RPC."""
        manager = new_test_user(self.env, "atk_manager", groups="base.group_user,sales_team.group_sale_manager")
        partner = self.env["res.partner"].create({"name": "ООО Класс А"})
        self.env.cr.execute(SQL("UPDATE res_partner SET crm_abc_class = 'A', crm_rfm_score = '555' WHERE id = %s",
                                partner.id))
        self.authenticate(manager.login, manager.login)
        for name in ("recompute_abc_xyz", "recompute_rfm", "_cron_recompute_classes", "_write_abc_xyz"):
            with self.subTest(method=name):
                with self.assertRaises(JsonRpcException) as refused, mute_logger("odoo.http"):
                    self.make_jsonrpc_request(f"/web/dataset/call_kw/crm.analytics.classifier/{name}", {
                        "model": "crm.analytics.classifier", "method": name, "args": [], "kwargs": {}})
                self.assertEqual(str(refused.exception), ACCESS_ERROR)
        partner.invalidate_recordset()
        self.assertEqual((partner.crm_abc_class, partner.crm_rfm_score), ("A", "555"))
