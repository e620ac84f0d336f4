"""The control script's own logic: set-up errors are clear, summaries are parsed right."""
import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("crmctl", ROOT / "scripts" / "crmctl.py")
crmctl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(crmctl)


def test_stale_postgres_lock_file_is_removed(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(crmctl, "PGDATA", tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / "postmaster.pid").write_text(f"{dead.pid}\n/some/dir\n")
    crmctl.remove_stale_pid()
    assert not (tmp_path / "postmaster.pid").exists()
    assert "stale PostgreSQL lock file" in capsys.readouterr().out


def test_live_postgres_lock_file_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(crmctl, "PGDATA", tmp_path)
    (tmp_path / "postmaster.pid").write_text(f"{os.getpid()}\n")
    crmctl.remove_stale_pid()
    assert (tmp_path / "postmaster.pid").exists()


def test_port_in_use_is_detected():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert not crmctl.port_free(port)
    assert crmctl.port_free(crmctl.free_port())


def test_missing_postgres_binaries_give_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("CRM_PG_BINDIR", str(tmp_path))
    monkeypatch.setattr(crmctl.Path, "glob", lambda self, pattern: iter(()))
    monkeypatch.setattr(crmctl.shutil, "which", lambda name: None)
    with pytest.raises(crmctl.SetupError, match="apt-get install postgresql"):
        crmctl.pg_bindir()


def test_odoo_of_another_version_is_refused(monkeypatch):
    class Probe:
        returncode = 0
        stdout = "18 18.0\n"
        stderr = ""

    monkeypatch.setattr(crmctl.subprocess, "run", lambda *a, **k: Probe())
    version, reason = crmctl.odoo_version()
    assert version is None
    assert "needs Odoo 19.0" in reason
    with pytest.raises(crmctl.SetupError, match="not usable"):
        crmctl.require_odoo()


def test_odoo_result_line_is_parsed():
    line = ("2026-11-23 11:46:01,000 1 INFO crm_test_demo odoo.tests.result: "
            "2 failed, 1 error(s) of 57 tests when loading database 'crm_test_demo'")
    assert crmctl.RESULT_LINE.findall(line) == [("2", "1", "57")]
    match = crmctl.LOG_LINE.match(line)
    assert match["level"] == "INFO" and match["logger"] == "odoo.tests.result"


def test_tally_adds_up_every_step():
    tally = crmctl.Tally()
    tally.add("a", passed=3)
    tally.add("b", passed=2, failed=1, skipped=4)
    assert (tally.passed, tally.failed, tally.skipped) == (5, 1, 4)
    assert "2 passed    1 failed    4 skipped" in tally.lines[-1]


def test_at_is_parsed_as_utc_minutes_and_refused_clearly():
    import datetime

    assert crmctl.parse_at(" 2028-02-29 12:00 ") == datetime.datetime(2028, 2, 29, 12, 0)
    for wrong in ("2027-02-29 12:00", "29.02.2028 12:00", "2028-02-29", "tomorrow"):
        with pytest.raises(crmctl.SetupError, match="YYYY-MM-DD HH:MM"):
            crmctl.parse_at(wrong)


def test_faketime_env_shifts_every_process_by_one_offset(monkeypatch, tmp_path):
    import datetime

    monkeypatch.setattr(crmctl, "libfaketime", lambda: tmp_path / "libfaketimeMT.so.1")
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)
    env = crmctl.faketime_env(now + datetime.timedelta(days=30))
    assert env["LD_PRELOAD"].endswith("libfaketimeMT.so.1")
    assert env["FAKETIME"] == f"{int(env['CRM_CLOCK_OFFSET']):+d}"
    assert abs(int(env["CRM_CLOCK_OFFSET"]) - 30 * 86400) <= 2
    assert env["FAKETIME_DONT_FAKE_MONOTONIC"] == "1"
    assert env["PYTHONPATH"].split(os.pathsep)[0].endswith("faketime_site")
    assert crmctl.faketime_env(None) == {}


def test_missing_libfaketime_gives_a_clear_message(monkeypatch):
    monkeypatch.setattr(crmctl, "LIBFAKETIME_GLOBS", ("/nonexistent/*/libfaketimeMT.so.1",))
    with pytest.raises(crmctl.SetupError, match="apt-get install faketime"):
        crmctl.libfaketime()
