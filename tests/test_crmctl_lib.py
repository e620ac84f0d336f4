"""The parts of crmctl_lib that need no cluster: the command line, the log parsing, the SQL it composes and
what ``run`` installs and switches for a language."""
import importlib.util
import json
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("crmctl", ROOT / "scripts" / "crmctl.py")
crmctl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(crmctl)  # puts scripts/ on the path: its crmctl_lib package imports from there

from crmctl_lib import cli, cluster, common, odoo_server, runner  # noqa: E402

HOSTILE = 'x"; drop database y; --'


# --------------------------------------------------------------------------- command line


def documented_commands():
    """Every ``python3 scripts/crmctl.py ...`` command line of the README and of CI."""
    commands = []
    for path in (ROOT / "README.md", ROOT / ".ci" / "run"):
        text = path.read_text().replace("\\\n", " ")
        for match in re.finditer(r"python3 scripts/crmctl\.py ([^`#\n|]*)", text):
            words = shlex.split(match.group(1))
            if words and not words[0].startswith("<"):
                commands.append(words)
    return commands


def test_every_documented_command_parses():
    commands = documented_commands()
    assert {"run", "test", "testdb", "stop", "status", "bench", "soak"} <= {words[0] for words in commands}
    for words in commands:
        args = cli.parse_args(words)
        assert args.command == words[0] and callable(args.func), words


def test_test_options_are_parsed():
    args = cli.parse_args(["test", "--only", "odoo", "--only", "pure", "--demo", "without", "--db", "hg_t",
                           "--at", "2027-10-31 02:30", "--install", "crm_core", "--tags", "/crm_core"])
    assert args.only == ["odoo", "pure"] and args.demo == "without" and args.db == "hg_t"
    assert (args.at.year, args.at.month, args.at.day, args.at.hour, args.at.minute) == (2027, 10, 31, 2, 30)
    assert (args.install, args.tags, args.also_at, args.template) == ("crm_core", "/crm_core", None, None)
    assert args.func is runner.cmd_test
    defaults = cli.parse_args(["test"])
    assert (defaults.only, defaults.demo, defaults.db, defaults.at) == (None, "both", None, None)


def test_bad_options_are_refused(capsys):
    for wrong in (["test", "--only", "everything"], ["test", "--at", "tomorrow"], ["testdb", "--rows", "3"],
                  ["run", "--workers", "many"], ["nothing"]):
        with pytest.raises(SystemExit):
            cli.parse_args(wrong)
    assert "YYYY-MM-DD HH:MM" in capsys.readouterr().err


def test_bench_passes_its_options_to_the_scripts():
    args = cli.parse_args(["bench", "import", "dedup", "--", "--rows", "2000"])
    assert (args.names, args.extra, args.func) == (["import", "dedup"], ["--rows", "2000"], cli.cmd_bench)


def test_testdb_defaults():
    args = cli.parse_args(["testdb", "--name", "hg_a", "--clone", "crm_me"])
    assert (args.name, args.clone, args.update, args.demo) == ("hg_a", "crm_me", None, False)
    assert cli.parse_args(["testdb"]).name == "crm_dev"


def test_a_setup_error_is_one_line_on_stderr(monkeypatch, capsys):
    def refuse(_args):
        raise common.SetupError("PostgreSQL binaries were not found")

    monkeypatch.setattr(cli, "cmd_status", refuse)
    assert crmctl.main(["status"]) == 2
    assert capsys.readouterr().err == "crmctl: PostgreSQL binaries were not found\n"


# --------------------------------------------------------------------------- logs

ODOO_LOG = """\
2026-12-03 10:00:00,001 42 INFO hg_t odoo.modules.loading: loading 120 modules...
2026-12-03 10:00:01,001 42 WARNING hg_t py.warnings: DeprecationWarning: read_group is deprecated
2026-12-03 10:00:02,001 42 ERROR hg_t odoo.addons.crm_core.tests.test_x: FAIL: TestX.test_y
Traceback (most recent call last):
  File "x.py", line 1, in test_y
AssertionError: 1 != 2
2026-12-03 10:00:03,001 42 INFO hg_t odoo.tests.stats: crm_core: 57 tests 2.00s 800 queries
2026-12-03 10:00:04,001 42 ERROR hg_t odoo.tests.result: 1 failed, 0 error(s) of 57 tests when loading database 'hg_t'
"""


def test_odoo_log_gives_counts_and_every_warning_and_error():
    report = runner.parse_odoo_log(ODOO_LOG)
    assert (report.failed, report.errors, report.ran, report.reported) == (1, 0, 57, True)
    assert [line.split()[3] for line in report.problems] == ["WARNING", "ERROR"]  # not the report line itself


def test_odoo_log_without_report_is_an_error():
    report = runner.parse_odoo_log(ODOO_LOG.splitlines()[0] + "\nKilled\n")
    assert (report.failed, report.errors, report.ran, report.reported, report.problems) == (0, 1, 0, False, [])


def test_clean_odoo_log_has_no_problems():
    text = ("2026-12-03 10:00:00,001 42 INFO hg_t odoo.tests.result: "
            "0 failed, 0 error(s) of 12 tests when loading database 'hg_t'\n")
    assert runner.parse_odoo_log(text) == (0, 0, 12, [], True)


@pytest.mark.parametrize(("text", "counts"), [
    ("....\n217 passed, 2 skipped in 12.34s\n", (217, 0, 2)),
    ("FAILED tests/test_x.py::test_y\n1 failed, 5 passed, 1 error in 3.01s\n", (5, 2, 0)),
    ("==== 3 passed, 1 warning in 0.50s ====\n", (3, 0, 0)),
    ("no tests ran in 0.01s\n", (0, 0, 0)),
    ("collected 3 items / 3 passed earlier\n", (0, 0, 0)),  # only the summary line counts
])
def test_pytest_summary_is_parsed(text, counts):
    assert runner.parse_pytest_summary(text) == counts


# --------------------------------------------------------------------------- SQL


def test_database_names_go_into_sql_as_identifiers():
    sql = pytest.importorskip("psycopg2.sql")
    drop = cluster.drop_database_query(HOSTILE)
    assert drop.seq == [sql.SQL("DROP DATABASE "), sql.Identifier(HOSTILE), sql.SQL(" WITH (FORCE)")]
    create = cluster.create_database_query(HOSTILE, "crm_me")
    assert create.seq == [sql.SQL("CREATE DATABASE "), sql.Identifier(HOSTILE), sql.SQL(" TEMPLATE "),
                          sql.Identifier("crm_me")]
    assert sql.Literal(HOSTILE) in cluster.database_exists_query(HOSTILE).seq
    assert sql.Literal([HOSTILE, "crm_core"]) in cluster.installed_addons_query([HOSTILE, "crm_core"]).seq
    assert sql.Literal(HOSTILE) in cluster.wal_behind_query(HOSTILE).seq
    assert sql.Literal(HOSTILE) in cluster.replica_slot_query(HOSTILE).seq


def test_no_sql_text_holds_a_value():
    """Only SQL() fragments carry text, and none of them holds a value given to the query."""
    sql = pytest.importorskip("psycopg2.sql")
    queries = [cluster.drop_database_query(HOSTILE), cluster.create_database_query(HOSTILE, HOSTILE),
               cluster.database_exists_query(HOSTILE), cluster.installed_addons_query([HOSTILE]),
               cluster.replica_slot_query(HOSTILE), cluster.slot_wal_limit_query(HOSTILE),
               cluster.wal_behind_query(HOSTILE), cluster.wal_settings_query()]
    for query in queries:
        parts = list(query.seq)
        while any(isinstance(part, sql.Composed) for part in parts):
            parts = [inner for part in parts for inner in (part.seq if isinstance(part, sql.Composed) else [part])]
        assert all(HOSTILE not in part.string for part in parts if isinstance(part, sql.SQL)), query


def test_hostile_name_is_quoted_by_postgres_rules():
    """Rendered by libpq on the local cluster (skipped when it is not running)."""
    pytest.importorskip("psycopg2")
    try:
        connection = cluster.pg_connect(int(common.read_config()["db_port"]))
    except Exception as exc:  # any reason the cluster is not reachable
        pytest.skip(f"no local cluster: {exc}")
    try:
        assert cluster.drop_database_query(HOSTILE).as_string(connection) == (
            'DROP DATABASE "x""; drop database y; --" WITH (FORCE)')
        assert cluster.database_exists_query("it's").as_string(connection) == (
            "SELECT 1 FROM pg_database WHERE datname = 'it''s'")
    finally:
        connection.close()


# --------------------------------------------------------------------------- run: the demo database and its language


@pytest.fixture
def odoo_steps(monkeypatch):
    """The Odoo install/update steps ``run`` would start, recorded instead of run."""
    steps = []
    monkeypatch.setattr(odoo_server, "run_odoo_step", lambda dbname, what, *step: steps.append(list(step)))
    monkeypatch.setattr(odoo_server, "set_admin_password", lambda dbname: steps.append(["admin password"]))
    return steps


def fake_database(monkeypatch, installed):
    monkeypatch.setattr(cluster, "database_exists", lambda name: installed is not None)
    monkeypatch.setattr(cluster, "installed_addons", lambda dbname, names: set(names) & set(installed or ()))


def test_a_new_demo_database_gets_the_ukrainian_company_and_manufacturing(monkeypatch, odoo_steps):
    fake_database(monkeypatch, None)
    odoo_server.prepare_demo_database("hg_demo", "19.0", update=False)
    (install, *rest), = odoo_steps[:1]
    assert install == "-i" and rest[-1] == "--with-demo"
    assert set(rest[0].split(",")) == {*common.PRODUCT_ADDONS, "sale_mrp", "crm_l10n_ua"}
    assert odoo_steps[1:] == [["admin password"]]


def test_an_older_demo_database_gets_its_missing_addons(monkeypatch, odoo_steps):
    fake_database(monkeypatch, [*common.PRODUCT_ADDONS, "sale_mrp"])
    odoo_server.prepare_demo_database("hg_demo", "19.0", update=False)
    assert odoo_steps == [["-i", "crm_l10n_ua"]]
    odoo_steps.clear()
    odoo_server.prepare_demo_database("hg_demo", "19.0", update=True)
    assert odoo_steps == [["-u", ",".join(common.PRODUCT_ADDONS), "-i", "crm_l10n_ua"]]


def test_a_complete_demo_database_is_left_alone_or_updated(monkeypatch, odoo_steps):
    fake_database(monkeypatch, [*common.PRODUCT_ADDONS, *common.DEMO_EXTRA_ADDONS])
    odoo_server.prepare_demo_database("hg_demo", "19.0", update=False)
    assert odoo_steps == []
    odoo_server.prepare_demo_database("hg_demo", "19.0", update=True)
    assert odoo_steps == [["-u", ",".join(common.PRODUCT_ADDONS)]]


class Child:
    returncode = 0
    stderr = ""


def run_in_odoo_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(odoo_server, "odoo_addons_paths", lambda: ["/odoo/addons", str(common.ADDONS_DIR)])
    monkeypatch.setattr(odoo_server.subprocess, "run", lambda command, **kw: calls.append(command) or Child())
    return calls


@pytest.mark.parametrize(("lang", "company"), [
    ("uk_UA", "base.demo_company_ua"), ("ru_RU", "base.main_company"), ("en_US", None)])
def test_the_language_chooses_the_admins_company(monkeypatch, lang, company):
    calls = run_in_odoo_calls(monkeypatch)
    odoo_server.set_admin_language("hg_demo", lang)
    (command,) = calls
    settings = json.loads(command[-1])
    assert settings["dbname"] == "hg_demo" and settings["values"] == {"lang": lang, "company": company}
    assert "company_ids" in command[2] and "Command.link" in command[2]


def test_values_reach_odoo_as_data_never_as_code(monkeypatch):
    calls = run_in_odoo_calls(monkeypatch)
    hostile = "x'); import os; os.system('boom'); ('"
    odoo_server.set_admin_language(HOSTILE, hostile)
    (command,) = calls
    assert hostile not in command[2] and HOSTILE not in command[2]
    assert json.loads(command[-1])["values"]["lang"] == hostile
    assert json.loads(command[-1])["dbname"] == HOSTILE
    compile(command[2], "<run_in_odoo>", "exec")  # the code itself is valid Python


def test_a_failing_language_load_is_a_setup_error(monkeypatch):
    class Failed(Child):
        returncode = 1
        stderr = "SystemExit: the demo company base.demo_company_ua is missing"

    monkeypatch.setattr(odoo_server, "odoo_addons_paths", lambda: [])
    monkeypatch.setattr(odoo_server.subprocess, "run", lambda command, **kw: Failed())
    with pytest.raises(common.SetupError, match="demo_company_ua is missing"):
        odoo_server.set_admin_language("hg_demo", "uk_UA")


# --------------------------------------------------------------------------- test runner


def test_both_test_runs_install_every_addon_of_ours(monkeypatch, tmp_path):
    for name in ("crm_core", "crm_l10n_ua", "test_crm_suite"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__manifest__.py").write_text("{}")
    (tmp_path / "not_an_addon").mkdir()
    monkeypatch.setattr(runner, "ADDONS_DIR", tmp_path)
    monkeypatch.setattr(odoo_server, "odoo_addons_paths", lambda: ["/odoo/addons", str(tmp_path)])
    assert runner.suite_addons() == ["crm_core", "crm_l10n_ua", "test_crm_suite"]
    for with_demo in (True, False):
        command = runner.odoo_test_command("hg_t", runner.suite_addons(), with_demo, "/crm_l10n_ua")
        assert command[command.index("-i") + 1] == "crm_core,crm_l10n_ua,test_crm_suite"
        assert ("--with-demo" in command) is with_demo and ("--without-demo" in command) is not with_demo
        assert command[command.index("--db-filter") + 1] == "^hg_t$"


def test_test_databases_are_named_by_prefix_and_mode():
    args = cli.parse_args(["test", "--db", "hg"])
    assert runner.odoo_test_database(args, True) == "hg_demo"
    assert runner.odoo_test_database(args, False) == "hg_nodemo"
    assert runner.odoo_test_database(cli.parse_args(["test", "--at", "2027-10-31 02:30"]), False) == "crm_at_nodemo"
    assert runner.odoo_test_database(cli.parse_args(["test"]), True) == "crm_test_demo"


def test_bench_options_after_names_or_after_a_double_dash():
    for words in (["bench", "sla", "--tickets", "2000"], ["bench", "sla", "--", "--tickets", "2000"]):
        args = cli.parse_args(words)
        assert (args.names, args.extra) == (["sla"], ["--tickets", "2000"]), words
    assert cli.parse_args(["bench"]).names == []
