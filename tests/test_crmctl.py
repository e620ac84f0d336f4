"""The control script's own logic: set-up errors are clear, summaries are parsed right."""
import datetime
import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("crmctl", ROOT / "scripts" / "crmctl.py")
crmctl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(crmctl)  # puts scripts/ on the path: its crmctl_lib package imports from there

from crmctl_lib import cli, clock, cluster, common, odoo_server, runner  # noqa: E402


def test_stale_postgres_lock_file_is_removed(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cluster, "PGDATA", tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "postmaster.pid").write_text(f"{dead.pid}\n/some/dir\n")
    cluster.remove_stale_pid()
    assert not (tmp_path / "postmaster.pid").exists()
    assert "stale PostgreSQL lock file" in capsys.readouterr().out


def test_live_postgres_lock_file_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "PGDATA", tmp_path)
    (tmp_path / "postmaster.pid").write_text(f"{os.getpid()}\n")
    cluster.remove_stale_pid()
    assert (tmp_path / "postmaster.pid").exists()


def test_port_in_use_is_detected():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert not common.port_free(port)
    assert common.port_free(common.free_port())


def test_missing_postgres_binaries_give_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("CRM_PG_BINDIR", str(tmp_path))
    monkeypatch.setattr(cluster.Path, "glob", lambda self, pattern: iter(()))
    monkeypatch.setattr(cluster.shutil, "which", lambda name: None)
    with pytest.raises(common.SetupError, match="apt-get install postgresql"):
        cluster.pg_bindir()


def test_odoo_of_another_version_is_refused(monkeypatch):
    class Probe:
        returncode = 0
        stdout = "18 18.0\n"
        stderr = ""

    monkeypatch.setattr(odoo_server.subprocess, "run", lambda *a, **k: Probe())
    version, reason = odoo_server.odoo_version()
    assert version is None
    assert "needs Odoo 19.0" in reason
    with pytest.raises(common.SetupError, match="not usable"):
        odoo_server.require_odoo()


def test_odoo_result_line_is_parsed():
    line = ("2026-11-23 11:46:01,000 1 INFO crm_test_demo odoo.tests.result: "
            "2 failed, 1 error(s) of 57 tests when loading database 'crm_test_demo'")
    assert runner.RESULT_LINE.findall(line) == [("2", "1", "57")]
    match = runner.LOG_LINE.match(line)
    assert match["level"] == "INFO" and match["logger"] == "odoo.tests.result"


def test_tally_adds_up_every_step():
    tally = runner.Tally()
    tally.add("a", passed=3)
    tally.add("b", passed=2, failed=1, skipped=4)
    assert (tally.passed, tally.failed, tally.skipped) == (5, 1, 4)
    assert "2 passed    1 failed    4 skipped" in tally.lines[-1]


def test_at_is_parsed_as_utc_minutes_and_refused_clearly():
    assert clock.parse_at(" 2028-02-29 12:00 ") == datetime.datetime(2028, 2, 29, 12, 0)
    for wrong in ("2027-02-29 12:00", "29.02.2028 12:00", "2028-02-29", "tomorrow"):
        with pytest.raises(common.SetupError, match="YYYY-MM-DD HH:MM"):
            clock.parse_at(wrong)


def test_faketime_env_shifts_every_process_by_one_offset(monkeypatch, tmp_path):
    monkeypatch.setattr(clock, "libfaketime", lambda: tmp_path / "libfaketimeMT.so.1")
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)
    env = clock.faketime_env(now + datetime.timedelta(days=30))
    assert env["LD_PRELOAD"].endswith("libfaketimeMT.so.1")
    assert env["FAKETIME"] == f"{int(env['CRM_CLOCK_OFFSET']):+d}"
    assert abs(int(env["CRM_CLOCK_OFFSET"]) - 30 * 86400) <= 2
    assert env["FAKETIME_DONT_FAKE_MONOTONIC"] == "1"
    assert env["PYTHONPATH"].split(os.pathsep)[0].endswith("faketime_site")
    assert clock.faketime_env(None) == {}


def test_missing_libfaketime_gives_a_clear_message(monkeypatch):
    monkeypatch.setattr(clock, "LIBFAKETIME_GLOBS", ("/nonexistent/*/libfaketimeMT.so.1",))
    with pytest.raises(common.SetupError, match="apt-get install faketime"):
        clock.libfaketime()


# --------------------------------------------------------------------------- prefork, replica, soak


def test_prefork_options_and_refusals():
    assert odoo_server.prefork_options(4, 2, 8072) == [
        "--workers", "4", "--max-cron-threads", "2", "--gevent-port", "8072"]
    assert odoo_server.prefork_options(2) == ["--workers", "2"]
    with pytest.raises(common.SetupError, match="at least 1 HTTP worker"):
        odoo_server.prefork_options(0)
    with pytest.raises(common.SetupError, match="cannot be negative"):
        odoo_server.prefork_options(2, -1)


def test_run_parses_workers_and_replica(monkeypatch):
    seen = {}
    monkeypatch.setattr(cli, "cmd_run", lambda args: seen.update(vars(args)) or 0)
    assert crmctl.main(["run", "--workers", "4", "--cron-workers", "2", "--gevent-port", "8075", "--replica"]) == 0
    assert (seen["workers"], seen["cron_workers"], seen["gevent_port"], seen["replica"]) == (4, 2, 8075, True)
    assert crmctl.main(["run"]) == 0
    assert (seen["workers"], seen["replica"]) == (None, False)


def test_soak_passes_its_options_to_the_script(monkeypatch):
    seen = {}
    monkeypatch.setattr(cli, "cmd_soak", lambda args: seen.update(extra=args.extra) or 0)
    assert crmctl.main(["soak", "--seconds", "30", "--scale", "0.1", "--servers", "1"]) == 0
    assert seen["extra"] == ["--seconds", "30", "--scale", "0.1", "--servers", "1"]
    with pytest.raises(SystemExit):
        crmctl.main(["status", "--seconds", "30"])  # other commands still refuse unknown options


def test_replica_is_the_next_port_and_streams_from_the_primary(tmp_path):
    replica = cluster.replica_cluster()
    assert replica.port == int(common.read_config()["db_port"]) + 1
    assert replica.pgdata == cluster.REPLICA_PGDATA != cluster.PGDATA
    command = cluster.basebackup_command(tmp_path, 54329, "odoo", tmp_path / "copy", "crm_replica", create_slot=True)
    assert command[0] == str(tmp_path / "pg_basebackup")
    assert {"-R", "-C"} <= set(command)  # standby.signal + primary_conninfo; the slot is created
    assert command[command.index("-S") + 1] == "crm_replica"
    assert command[command.index("-p") + 1] == "54329" and command[command.index("-h") + 1] == "127.0.0.1"
    assert "-C" not in cluster.basebackup_command(tmp_path, 54329, "odoo", tmp_path / "copy", "crm_replica", False)
    options = cluster.replica_server_options(54330)
    assert "listen_addresses=127.0.0.1" in options and "port=54330" in options and "hot_standby=on" in options
    assert odoo_server.odoo_replica_options(54330) == ["--db_replica_host", "127.0.0.1", "--db_replica_port", "54330"]


def test_lag_is_formatted_in_wal_and_time():
    assert cluster.format_lag(0, 2.04, "0/5B08E1D8") == (
        "lag 0 B (replayed up to 0/5B08E1D8), last transaction replayed 2.0 s ago "
        "(the primary has written nothing since)")
    assert cluster.format_lag(1536, 0.25) == "lag 1.5 kB, last transaction replayed 0.2 s ago"
    assert cluster.format_lag(3 * 1024 ** 3, None) == "lag 3.0 GB"
    assert cluster.format_lag(5 * 1024 ** 2 + 1, 1.0).startswith("lag 5.0 MB")
    assert "unknown" in cluster.format_lag(None, None)


def test_status_says_when_there_is_no_replica(monkeypatch, tmp_path):
    monkeypatch.setattr(cluster, "REPLICA_PGDATA", tmp_path / "none")
    assert cluster.replica_status().startswith("none")


def _soak():
    sys.path.insert(0, str(ROOT / "scripts" / "bench"))
    try:
        soak_spec = importlib.util.spec_from_file_location("soak", ROOT / "scripts" / "bench" / "soak.py")
        module = importlib.util.module_from_spec(soak_spec)
        soak_spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "scripts" / "bench"))


def test_soak_bench_line_and_percentiles():
    soak = _soak()
    assert soak.percentile([], 0.95) == 0.0
    assert soak.percentile([0.3, 0.1, 0.2, 0.4], 0.5) == 0.2
    assert soak.percentile([i / 100 for i in range(1, 101)], 0.95) == 0.95
    line = soak.bench_line("partner_form", [0.1, 0.2, 0.3, 0.4], 1, 10.0)
    assert line == "bench soak partner_form requests=5 rps=0.5 p50_ms=200 p95_ms=400 errors=1"
    assert soak.scaled(100_000, 0.1) == 10_000 and soak.scaled(10, 0.001, 5) == 5


def test_soak_counts_read_requests_served_by_the_replica():
    soak = _soak()
    head = '2026-12-03 10:49:21,699 21906 INFO soak werkzeug: 127.0.0.1 - - [03/Dec/2026 10:49:21] '
    lines = [
        head + '"POST /web/dataset/call_kw/res.partner/web_read#res.partner.web_read HTTP/1.1" 200 - 51 6.383 0.132 ro',
        head + ('"POST /web/dataset/call_kw/res.partner/web_read#res.partner.web_read HTTP/1.1" 200 - 5 0.010 0.01'
                ' ro->rw'),
        head + '"POST /web/dataset/call_kw/crm.lead/web_search_read HTTP/1.1" 200 - 9 0.020 0.030 rw',
        head + '"POST /web/dataset/call_kw/crm.distribution.wizard/action_commit HTTP/1.1" 200 - 9 0.020 0.030 rw',
        head + '"POST /web/session/authenticate HTTP/1.1" 200 - 9 0.020 0.030 rw',
    ]
    reads = {("res.partner", "web_read"), ("crm.lead", "web_search_read")}
    assert soak.replica_share(lines, reads) == (1, 3)
    # the time the server itself spent (SQL + the rest), per kind of load; other requests are not counted
    spent = soak.server_seconds(lines)
    assert sorted(spent) == ["partner_form", "pipeline"]
    assert spent["partner_form"] == pytest.approx([6.515, 0.02])
    assert spent["pipeline"] == pytest.approx([0.05])


def test_soak_options():
    soak = _soak()
    args = soak.parse_args(["--servers", "1", "--scale", "0.1"])
    assert (args.servers, args.cron_workers, args.seconds, args.tickets, args.leads) == (1, 1, 120, 100_000, 10_000)
    # HTTP workers as Odoo's deployment guide sizes them: 2 per CPU core, plus one
    with mock.patch.object(soak.os, "cpu_count", return_value=2):
        assert soak.parse_args([]).workers == 5
    assert soak.parse_args(["--workers", "2"]).workers == 2


@pytest.mark.parametrize(("rows", "expected"), [
    ([("reserved",)], False), ([("extended",)], False), ([("unreserved",)], False),
    ([("lost",)], True),  # the primary removed WAL the replica still needs
    ([], True),  # no slot: nothing keeps the WAL for it
])
def test_replica_that_cannot_catch_up_is_recognised(monkeypatch, rows, expected):
    asked = []
    monkeypatch.setattr(cluster, "pg_query", lambda port, query, dbname="postgres": asked.append(port) or rows)
    assert cluster.replica_cannot_catch_up(54329) is expected
    assert asked == [54329]


def test_a_lost_replica_is_copied_again(monkeypatch, tmp_path):
    """ensure_replica: a replica whose slot is lost is stopped, its slot dropped and its data copied anew."""
    replica = cluster.Cluster(tmp_path / "replica", 54330, tmp_path / "replica.log")
    (replica.pgdata).mkdir()
    (replica.pgdata / "PG_VERSION").write_text("15")
    steps = []
    monkeypatch.setattr(cluster, "ensure_cluster", lambda: 54329)
    monkeypatch.setattr(cluster, "replica_cluster", lambda: replica)
    monkeypatch.setattr(cluster, "pg_bindir", lambda: tmp_path)
    monkeypatch.setattr(cluster, "replica_cannot_catch_up", lambda port: True)
    monkeypatch.setattr(cluster, "stop_cluster", lambda c: steps.append(("stop", c.port)))
    monkeypatch.setattr(cluster, "pg_query", lambda port, query, dbname="postgres": steps.append(("sql", port)) or [])
    monkeypatch.setattr(cluster, "_create_replica", lambda primary, r, bindir: steps.append(
        ("copy", primary, (r.pgdata / "PG_VERSION").exists())))
    monkeypatch.setattr(cluster, "pg_running", lambda bindir, pgdata=None: True)
    assert cluster.ensure_replica() == 54330
    assert steps == [("stop", 54330), ("sql", 54329), ("copy", 54329, False)]
