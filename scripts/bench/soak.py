#!/usr/bin/env python3
"""Soak: several prefork Odoo servers on one PostgreSQL primary and its replica, under load, then invariants.

Run through ``python3 scripts/crmctl.py soak [--seconds 120] [--scale 0.1] [--servers 1]``: crmctl
starts the embedded default's streaming replica and exports its settings (CRM_ADDONS_PATH, CRM_CONFIG,
CRM_DATA_DIR, CRM_DB_PORT, CRM_DB_USER, CRM_REPLICA_PORT, CRM_LOG_DIR). Everything listens on loopback.

1. A throwaway database (``--db``, dropped at the end unless ``--keep``): cloned from ``--template``
   (a demo-less install; its product addons are updated first) or installed from scratch. The world is
   created in this process: existing customers, sales users and analysts, one sales team and a
   distribution rule, ``--leads`` unassigned leads, opportunities with customers, ``--tickets`` open
   service tickets (set-based SQL) with an escalation rule, and customer import jobs read and previewed
   (two of the same file, one of another).
2. ``--servers`` Odoo servers in prefork mode (``--workers`` HTTP workers, by default Odoo's rule of
   2 x CPU cores + 1, and ``--cron-workers`` cron workers each, distinct ports), reading from the
   replica (``db_replica_host``). The jobs this process runs in a second server's stead (escalation,
   imports) run at the lowered priority of Odoo's cron workers.
3. For ``--seconds`` (and at most ``--max-requests`` HTTP requests), in parallel:
   - the imports are queued (``action_queue``), their cron runs in the servers' cron workers;
   - the SLA recompute and escalation crons are triggered again and again (``ir.cron._trigger``), while
     a worker of this process runs the escalation too (as a second server's cron worker would);
   - two managers distribute the same leads at once over JSON-RPC (wizard ``action_commit``), on two
     servers;
   - ``--threads`` sessions of sales users (pipeline ``web_search_read``, partner form ``web_read`` with the
     key figures, timeline ``crm_timeline_get``) and analysts (``get_dashboard_data``, report
     ``formatted_read_group``) send JSON-RPC requests.
4. The imports are drained (``--drain-seconds``), the servers stopped, and the invariants checked: every
   import job done or failed with a reason, one job row per input row, no partner created twice by two
   imports of the same file, no ticket escalated twice, no lead assigned twice (distribution run lines),
   the key figures served by the replica equal to a recomputation on the primary.

Prints ``bench soak <kind> requests=… rps=… p50_ms=… p95_ms=… errors=…`` per kind of request (as the
clients waited), ``bench soak <kind> in_server p50_ms=… p95_ms=…`` (the time the servers spent on them,
from Odoo's request log: the difference is the wait for a free worker),
``bench soak replica_share=…`` (share of the read requests the servers answered on a replica cursor,
from Odoo's request log), ``bench soak cron …`` lines, and ``bench soak invariants violations=N``.
"""
import argparse
import collections
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchlib import admin_connection, drop_database, env_settings, open_registry

PRODUCT = "crm_core,crm_marketing,crm_service,crm_analytics"
KEY_FIGURES = ["crm_open_deal_count", "crm_open_deal_weighted", "crm_won_revenue_year", "crm_quotation_count",
               "crm_quotation_amount", "crm_unpaid_invoice_count", "crm_unpaid_amount", "crm_interaction_count",
               "crm_last_interaction_date", "crm_next_interaction_date"]
READ_KINDS = ("pipeline", "partner_form", "timeline", "dashboard", "report")
# a request line of Odoo's log with its perf info:
# "... "POST /web/dataset/call_kw/m/f#m.f HTTP/1.1" 200 - 3 0.002 0.010 ro"
REQUEST_LOG = re.compile(r'"POST /web/dataset/call_kw/(?P<model>[\w.]+)/(?P<method>\w+)[^"]*" (?P<code>\d+) \S+ '
                         r'\S+ (?P<sql>[\d.]+|\S+) (?P<rest>[\d.]+|\S+) (?P<mode>ro->rw|ro|rw|-)\s*$')
# the request each kind of load sends, as Odoo's request log names it
KIND_METHODS = {("crm.lead", "web_search_read"): "pipeline", ("res.partner", "web_read"): "partner_form",
                ("res.partner", "crm_timeline_get"): "timeline",
                ("crm.analytics.dashboard", "get_dashboard_data"): "dashboard",
                ("crm.analytics.forecast", "formatted_read_group"): "report"}
LOG_ERROR = re.compile(r"^\S+ \S+ \d+ (?P<level>ERROR|CRITICAL|WARNING) (?P<db>\S+) (?P<logger>\S+): (?P<msg>.*)$")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=120, help="duration of the load (default 120)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="HTTP requests of the load, at most")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply the volumes (tickets, leads, import rows) by this, e.g. 0.1 for a quick run")
    parser.add_argument("--tickets", type=int, default=100_000, help="open service tickets (before --scale)")
    parser.add_argument("--leads", type=int, default=10_000, help="leads distributed twice at once (before --scale)")
    parser.add_argument("--import-rows", type=int, default=20_000, help="rows per import file (before --scale)")
    parser.add_argument("--servers", type=int, default=2, help="Odoo servers (2; 1 for the comparison)")
    parser.add_argument("--workers", type=int, default=default_http_workers(),
                        help="HTTP workers per server (default: Odoo's rule of thumb, 2 x CPU cores + 1)")
    parser.add_argument("--cron-workers", type=int, default=1, help="cron workers per server")
    parser.add_argument("--threads", type=int, default=6, help="client sessions sending requests at once")
    parser.add_argument("--no-replica", action="store_true", help="servers without db_replica_host")
    parser.add_argument("--drain-seconds", type=float, default=900,
                        help="after the load, wait at most this long for the imports to finish")
    parser.add_argument("--db", default="soak", help="throwaway database (dropped at the end)")
    parser.add_argument("--template", help="clone this demo-less install (e.g. crm_me) instead of installing")
    parser.add_argument("--keep", action="store_true", help="keep the database and the server logs")
    return parser.parse_args(argv)


def default_http_workers():
    """Odoo's deployment guide sizes the HTTP workers of a server at (CPU cores x 2) + 1: fewer, and a long
    request (a distribution of 10,000 leads) leaves the short ones queued in the listen backlog."""
    return (os.cpu_count() or 1) * 2 + 1


def as_cron_worker():
    """Lower the calling thread's CPU priority as Odoo's cron workers lower theirs (``os.nice(10)`` in
    ``WorkerCron.start``): the jobs this process runs in a second server's stead compete as theirs would."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)  # Linux: a thread's own nice value
    except (AttributeError, OSError):
        pass  # not Linux: the thread keeps the process's priority


def scaled(value, scale, minimum=1):
    return max(int(round(value * scale)), minimum)


def percentile(values, share):
    """Nearest-rank percentile of ``values`` (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(int(-(-share * len(ordered) // 1)), 1)  # ceil(share * n), at least 1
    return ordered[min(rank, len(ordered)) - 1]


def bench_line(kind, latencies, errors, seconds):
    """``bench soak <kind> requests=… rps=… p50_ms=… p95_ms=… errors=…`` (latencies in seconds)."""
    count = len(latencies) + errors
    rps = count / seconds if seconds > 0 else 0.0
    return (f"bench soak {kind} requests={count} rps={rps:.1f} p50_ms={percentile(latencies, 0.50) * 1000:.0f} "
            f"p95_ms={percentile(latencies, 0.95) * 1000:.0f} errors={errors}")


def server_seconds(log_lines):
    """{kind: [seconds the server spent on each request]} from Odoo's request log (its SQL time plus the
    rest): what the client waited beyond that, it waited for a free worker."""
    found = collections.defaultdict(list)
    for line in log_lines:
        match = REQUEST_LOG.search(line)
        kind = match and KIND_METHODS.get((match["model"], match["method"]))
        if kind:
            try:
                found[kind].append(float(match["sql"]) + float(match["rest"]))
            except ValueError:
                continue  # a line without the perf figures
    return found


def replica_share(log_lines, read_methods):
    """(read requests answered on a replica cursor, read requests) from Odoo's request log lines."""
    served = total = 0
    for line in log_lines:
        match = REQUEST_LOG.search(line)
        if not match or (match["model"], match["method"]) not in read_methods:
            continue
        total += 1
        served += match["mode"] == "ro"
    return served, total


# ---------------------------------------------------------------- database and world
def prepare_database(settings, args):
    drop_database(settings, args.db)
    command = [sys.executable, "-m", "odoo", "server", "-c", settings["CRM_CONFIG"],
               "--addons-path", settings["CRM_ADDONS_PATH"], "--data-dir", settings["CRM_DATA_DIR"],
               "--db_port", settings["CRM_DB_PORT"], "--db_user", settings["CRM_DB_USER"],
               "-d", args.db, "--db-filter", f"^{args.db}$", "--stop-after-init", "--http-port", "0",
               "--max-cron-threads", "0", "--log-level", "warn", "--without-demo"]
    if args.template:
        from psycopg2 import sql

        connection = admin_connection(settings)
        with connection.cursor() as cr:
            cr.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(args.db),
                                                                       sql.Identifier(args.template)))
        connection.close()
        source = Path(settings["CRM_DATA_DIR"]) / "filestore" / args.template
        if source.exists():
            shutil.copytree(source, Path(settings["CRM_DATA_DIR"]) / "filestore" / args.db, dirs_exist_ok=True)
        command += ["-u", PRODUCT]  # the template may predate the code
    else:
        command += ["-i", PRODUCT]
    started = time.monotonic()
    subprocess.run(command, check=True)
    print(f"# database {args.db} ready in {time.monotonic() - started:.0f}s", flush=True)


def build_world(env, args):
    """Users, team, rule, leads, opportunities, tickets, escalation rule, import jobs in preview."""
    import base64

    import bench_import
    import bench_sla

    from odoo.fields import Command

    started = time.monotonic()
    world = {}
    rows = scaled(args.import_rows, args.scale, 50)
    bench_import.insert_existing_partners(env, rows)
    salesman = env.ref("sales_team.group_sale_salesman")
    manager = env.ref("sales_team.group_sale_manager")
    analyst = env.ref("crm_analytics.group_crm_analytics_viewer")
    Users = env["res.users"].with_context(no_reset_password=True)
    sellers = Users.create([{"name": f"Soak seller {i}", "login": f"soak_seller_{i}", "password": f"soak_seller_{i}",
                             "group_ids": [Command.set(salesman.ids)]} for i in range(8)])
    analysts = Users.create([{"name": f"Soak analyst {i}", "login": f"soak_analyst_{i}",
                              "password": f"soak_analyst_{i}",
                              "group_ids": [Command.set((salesman | analyst).ids)]} for i in range(3)])
    managers = Users.create([{"name": f"Soak manager {i}", "login": f"soak_manager_{i}",
                              "password": f"soak_manager_{i}",
                              "group_ids": [Command.set(manager.ids)]} for i in range(2)])
    team = env["crm.team"].create({
        "name": "Soak team", "use_leads": True, "use_opportunities": True,
        # capacity (Odoo's assignment_max, leads over 30 days) for every lead: the soak measures contention
        "crm_team_member_ids": [
            Command.create({"user_id": user.id, "assignment_max": scaled(args.leads, args.scale, 10)})
            for user in sellers],
    })
    rule = env["crm.distribution.rule"].create({
        "name": "Soak rule", "method": "round_robin", "team_ids": [Command.set(team.ids)],
        "lead_domain": "[('user_id', '=', False), ('name', '=like', 'SOAK LEAD %')]",
    })
    Lead = env["crm.lead"].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
    leads = scaled(args.leads, args.scale, 10)
    for start in range(0, leads, 2000):
        Lead.create([{"name": f"SOAK LEAD {i}", "type": "lead", "user_id": False, "team_id": False,
                      "email_from": f"lead{i}@soak.example", "contact_name": f"Client {i}"}
                     for i in range(start, min(start + 2000, leads))])
    customers = env["res.partner"].search([("email", "=like", "client%@bench.example")], limit=60, order="id")
    stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence")
    Lead.create([{"name": f"SOAK DEAL {i}", "type": "opportunity", "partner_id": customers[i % len(customers)].id,
                  "user_id": sellers[i % len(sellers)].id, "team_id": team.id, "stage_id": stages[i % len(stages)].id,
                  "expected_revenue": 1000 * (1 + i % 17), "probability": 10 + i % 80} for i in range(600)])
    bench_sla.setup_world(env, scaled(args.tickets, args.scale, 100))
    env["crm.service.escalation.rule"].search([]).write({"active": False})
    # loopback only: the servers' cron workers run our crons, not Odoo's (mail queue, lead enrichment by IAP)
    ours = env["ir.model.data"].search([("model", "=", "ir.cron"), ("module", "in", PRODUCT.split(","))])
    env["ir.cron"].search([("id", "not in", ours.mapped("res_id"))]).write({"active": False})
    escalation = env["crm.service.escalation.rule"].create({
        "name": "Soak escalation", "target": "resolve", "threshold_percent": 50, "action": "notify"})
    # the import files: two jobs of file A, one of file B (new customers of B have their own e-mails)
    env["ir.config_parameter"].set_param("crm_core.import_max_size_mb", 500)
    data_a = bench_import.generate_rows(rows, rows, seed=7)
    data_b = [list(row) for row in bench_import.generate_rows(rows, rows, seed=11)]
    for row in data_b:
        if row[6].lower().startswith("new"):
            row[6] = row[6].replace("@bench.example", "@b.bench.example").replace("@BENCH.EXAMPLE", "@B.BENCH.EXAMPLE")
    admin = env.ref("base.user_admin")
    jobs = env["crm.import.job"]
    for label, data in (("A1", data_a), ("A2", data_a), ("B", data_b)):
        content, filename, _mimetype = bench_import.build_file(data, "csv")
        job = env["crm.import.job"].with_user(admin).create({
            "name": f"Soak import {label}", "file": base64.b64encode(content), "filename": filename,
            "region_country_id": env.ref("base.ru").id, "duplicate_policy": "skip"})
        job.action_read_file()
        jobs |= job
    env.flush_all()
    world.update(
        rule=rule.id, team=team.id, escalation=escalation.id, jobs=jobs.ids, rows=rows, leads=leads,
        tickets=scaled(args.tickets, args.scale, 100), customers=customers.ids,
        sellers=sellers.mapped("login"), analysts=analysts.mapped("login"), managers=managers.mapped("login"),
        file_a_emails=sorted({row[6].lower() for row in data_a if row[6]}),
    )
    print(f"# world: {rows} existing partners, {leads} leads, {world['tickets']} tickets, 3 import jobs of "
          f"{rows} rows, in {time.monotonic() - started:.0f}s", flush=True)
    return world


# ---------------------------------------------------------------- servers
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_servers(settings, args, log_dir):
    servers = []
    for index in range(args.servers):
        port, gevent = free_port(), free_port()
        log = Path(log_dir) / f"soak-{args.db}-server{index + 1}.log"
        log.unlink(missing_ok=True)
        command = [sys.executable, "-m", "odoo", "server", "-c", settings["CRM_CONFIG"],
                   "--addons-path", settings["CRM_ADDONS_PATH"], "--data-dir", settings["CRM_DATA_DIR"],
                   "--db_port", settings["CRM_DB_PORT"], "--db_user", settings["CRM_DB_USER"],
                   "-d", args.db, "--db-filter", f"^{args.db}$", "--http-interface", "127.0.0.1",
                   "--http-port", str(port), "--gevent-port", str(gevent),
                   "--workers", str(args.workers), "--max-cron-threads", str(args.cron_workers),
                   "--limit-time-cpu", "900", "--limit-time-real", "1200", "--limit-time-real-cron", "1200",
                   "--log-level", "info", "--logfile", str(log)]
        if not args.no_replica:
            command += ["--db_replica_host", "127.0.0.1", "--db_replica_port", settings["CRM_REPLICA_PORT"]]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        servers.append({"url": f"http://127.0.0.1:{port}", "process": process, "log": log})
    import requests

    deadline = time.monotonic() + 180
    for server in servers:
        while True:
            if server["process"].poll() is not None:
                raise SystemExit(f"an Odoo server exited at start; see {server['log']}")
            try:
                if requests.get(server["url"] + "/web/login", timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"an Odoo server did not answer within 3 minutes; see {server['log']}")
            time.sleep(1)
    print(f"# {len(servers)} server(s) up: " + ", ".join(s["url"] for s in servers), flush=True)
    return servers


def stop_servers(servers):
    for server in servers:
        if server["process"].poll() is None:
            os.killpg(server["process"].pid, signal.SIGTERM)
    for server in servers:
        try:
            server["process"].wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server["process"].pid, signal.SIGKILL)
            server["process"].wait()


# ---------------------------------------------------------------- clients
class RpcError(Exception):
    pass


class Client:
    """A logged-in JSON-RPC session on one server."""

    def __init__(self, url, db, login):
        import requests

        self.url, self.session = url, requests.Session()
        self.call("/web/session/authenticate", {"db": db, "login": login, "password": login})

    def call(self, path, params, timeout=1200):
        response = self.session.post(self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params,
                                                            "id": random.getrandbits(31)}, timeout=timeout)
        if response.status_code != 200:
            raise RpcError(f"HTTP {response.status_code}")
        body = response.json()
        if body.get("error"):
            data = body["error"].get("data") or {}
            raise RpcError(f"{data.get('name', '')}: {data.get('message', body['error'].get('message'))}")
        return body.get("result")

    def call_kw(self, model, method, args, kwargs=None):
        return self.call(f"/web/dataset/call_kw/{model}/{method}",
                         {"model": model, "method": method, "args": args, "kwargs": kwargs or {}})


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = collections.defaultdict(list)
        self.errors = collections.Counter()
        self.messages = collections.defaultdict(list)
        self.requests = 0

    def record(self, kind, seconds=None, error=None):
        with self.lock:
            self.requests += 1
            if error is None:
                self.latencies[kind].append(seconds)
            else:
                self.errors[kind] += 1
                if len(self.messages[kind]) < 3:
                    self.messages[kind].append(str(error)[:300])


def timed(stats, kind, call):
    started = time.perf_counter()
    try:
        result = call()
    except Exception as error:
        stats.record(kind, error=error)
        return None
    stats.record(kind, time.perf_counter() - started)
    return result


def sales_requests(client, world, rng):
    partner = rng.choice(world["customers"])
    return [
        ("pipeline", lambda: client.call_kw("crm.lead", "web_search_read", [], {
            "domain": [["type", "=", "opportunity"]], "limit": 80, "order": "",
            "specification": {"name": {}, "expected_revenue": {}, "probability": {},
                              "partner_id": {"fields": {"display_name": {}}},
                              "stage_id": {"fields": {"display_name": {}}},
                              "user_id": {"fields": {"display_name": {}}}}})),
        ("partner_form", lambda: client.call_kw("res.partner", "web_read", [[partner]], {
            "specification": {"name": {}, "email": {}, "phone": {}, **{name: {} for name in KEY_FIGURES}}})),
        ("timeline", lambda: client.call_kw("res.partner", "crm_timeline_get", [[partner]], {"limit": 20})),
    ]


def analyst_requests(client, _world, _rng):
    return [
        ("dashboard", lambda: client.call_kw("crm.analytics.dashboard", "get_dashboard_data", [],
                                             {"period": "year"})),
        ("report", lambda: client.call_kw("crm.analytics.forecast", "formatted_read_group", [], {
            "domain": [], "groupby": ["month:month", "user_id"], "aggregates": ["forecast_amount:sum"]})),
    ]


def load_worker(index, servers, args, world, stats, deadline):
    rng = random.Random(index)  # noqa: S311 - reproducible load, not security
    analyst = index % 3 == 2
    logins = world["analysts"] if analyst else world["sellers"]
    try:
        client = Client(servers[index % len(servers)]["url"], args.db, logins[index % len(logins)])
    except Exception as error:
        stats.record("login", error=error)
        return
    make = analyst_requests if analyst else sales_requests
    while time.monotonic() < deadline and stats.requests < args.max_requests:
        for kind, call in make(client, world, rng):
            timed(stats, kind, call)


def distribute_worker(index, servers, args, world, stats, results):
    """One manager commits the distribution of the rule's leads (the other does the same at once)."""
    try:
        client = Client(servers[index % len(servers)]["url"], args.db, world["managers"][index])
        wizard = client.call_kw("crm.distribution.wizard", "create", [{"rule_id": world["rule"]}])
    except Exception as error:
        stats.record("distribute", error=error)
        return
    results.append(timed(stats, "distribute", lambda: client.call_kw("crm.distribution.wizard", "action_commit",
                                                                    [[wizard]])))


def cron_driver(registry, world, stop, counters):
    """Queue the imports, then keep the crons triggered; run the escalation here too (a second worker)."""
    from odoo import SUPERUSER_ID, api

    as_cron_worker()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env["crm.import.job"].with_user(admin).browse(world["jobs"]).action_queue()
    last_trigger = 0.0
    while not stop.is_set():
        if time.monotonic() - last_trigger > 5:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                for xmlid in ("crm_service.ir_cron_crm_service_sla", "crm_service.ir_cron_crm_service_escalation",
                              "crm_core.ir_cron_crm_import_job"):
                    env.ref(xmlid)._trigger()
            last_trigger = time.monotonic()
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                counters["escalated_here"] += env["crm.service.escalation.rule"]._cron_escalate(limit=200)
            counters["escalation_runs_here"] += 1
        except Exception as error:
            counters["escalation_aborted_here"] += 1
            if len(counters["messages"]) < 3:
                counters["messages"].append(f"escalation: {type(error).__name__}: {str(error).splitlines()[0][:200]}")
        stop.wait(1)


def import_worker(registry, world, stop, counters):
    """A second worker on the import jobs (as the other server's would be), beside the servers' cron workers."""
    from odoo import SUPERUSER_ID, api

    as_cron_worker()
    while not stop.is_set():
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["crm.import.job"]._cron_process_import_jobs()
                if all(state in ("done", "failed") for state in env["crm.import.job"].browse(world["jobs"]).mapped(
                        "state")):
                    return
            counters["import_runs_here"] += 1
        except Exception as error:  # an aborted run is a finding, reported at the end
            counters["import_aborted_here"] += 1
            if len(counters["messages"]) < 6:
                counters["messages"].append(f"import: {type(error).__name__}: {str(error).splitlines()[0][:200]}")
        stop.wait(1)


def drain_imports(registry, world, seconds):
    from odoo import SUPERUSER_ID, api

    deadline = time.monotonic() + seconds
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            states = env["crm.import.job"].browse(world["jobs"]).mapped("state")
            if all(state in ("done", "failed") for state in states) or time.monotonic() > deadline:
                return states
            env.ref("crm_core.ir_cron_crm_import_job")._trigger()
        time.sleep(3)


# ---------------------------------------------------------------- invariants
def check_invariants(registry, world, key_figures_served):
    """The list of violations (empty: correct)."""
    from odoo import SUPERUSER_ID, api

    violations = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for job in env["crm.import.job"].browse(world["jobs"]):
            if job.state not in ("done", "failed"):
                violations.append(f"import {job.name}: still {job.state} ({job.rows_done}/{job.rows_total} rows)")
            elif job.state == "failed" and not job.error_message:
                violations.append(f"import {job.name}: failed without a reason")
            cr.execute("SELECT count(*), count(DISTINCT row_number) FROM crm_import_job_row "
                       "WHERE job_id = %s AND NOT preview", [job.id])
            rows, distinct = cr.fetchone()
            if job.state == "done" and (rows != world["rows"] or distinct != rows):
                violations.append(f"import {job.name}: {rows} job rows ({distinct} distinct) for {world['rows']} "
                                  "input rows")
        cr.execute("SELECT lower(email), count(*) FROM res_partner WHERE lower(email) = ANY(%s) AND active "
                   "AND lower(email) LIKE 'new%%' GROUP BY 1 HAVING count(*) > 1", [world["file_a_emails"]])
        twice = cr.fetchall()
        if twice:
            violations.append(f"imports of the same file: {len(twice)} customers created twice, e.g. {twice[:3]}")
        cr.execute("SELECT ticket_id, rule_id FROM crm_service_escalation_log GROUP BY 1, 2 HAVING count(*) > 1")
        if cr.fetchall():
            violations.append("a ticket escalated twice by one rule")
        cr.execute("""SELECT res_id, count(*) FROM mail_message
                       WHERE model = 'crm.service.ticket' AND body::text LIKE %s
                    GROUP BY 1 HAVING count(*) > 1 LIMIT 5""", ["%Escalation Soak escalation%"])
        notes = cr.fetchall()
        if notes:
            violations.append(f"tickets with two escalation notes: {notes}")
        cr.execute("""SELECT coalesce(sum(line.lead_count), 0) FROM crm_distribution_run_line line
                        JOIN crm_distribution_run run ON run.id = line.run_id
                       WHERE run.rule_id = %s AND run.mode = 'committed'""", [world["rule"]])
        counted = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM crm_lead WHERE name LIKE 'SOAK LEAD %%' AND user_id IS NOT NULL")
        assigned = cr.fetchone()[0]
        if counted != assigned or assigned > world["leads"]:
            violations.append(f"distribution: runs count {counted} assignments for {assigned} assigned leads "
                              f"(of {world['leads']}): leads assigned twice")
        for login, partner_id, served in key_figures_served:
            user = env["res.users"].search([("login", "=", login)])
            partner = env["res.partner"].with_user(user).browse(partner_id)
            fresh = partner.read(KEY_FIGURES)[0]
            different = {name: (served.get(name), fresh[name]) for name in KEY_FIGURES
                         if str(served.get(name)) != str(fresh[name])}
            if different:
                violations.append(f"key figures of partner {partner_id} for {login}: served != recomputed {different}")
    return violations


def key_figures_after(servers, args, world):
    """The key figures as the servers serve them (from the replica) once the load is over."""
    client = Client(servers[0]["url"], args.db, world["sellers"][0])
    served = []
    for partner in world["customers"][:20]:
        values = client.call_kw("res.partner", "web_read", [[partner]],
                                {"specification": {name: {} for name in KEY_FIGURES}})[0]
        served.append((world["sellers"][0], partner, values))
    return served


def wait_replica_caught_up(settings, timeout=60):
    import psycopg2

    primary = psycopg2.connect(dbname="postgres", host="127.0.0.1", port=settings["CRM_DB_PORT"],
                               user=settings["CRM_DB_USER"])
    replica = psycopg2.connect(dbname="postgres", host="127.0.0.1", port=settings["CRM_REPLICA_PORT"],
                               user=settings["CRM_DB_USER"])
    primary.autocommit = replica.autocommit = True
    deadline = time.monotonic() + timeout
    try:
        with primary.cursor() as pcr, replica.cursor() as rcr:
            pcr.execute("SELECT pg_current_wal_lsn()::text")
            target = pcr.fetchone()[0]
            while time.monotonic() < deadline:
                rcr.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if rcr.fetchone()[0]:
                    return True
                time.sleep(0.2)
    finally:
        primary.close()
        replica.close()
    return False


def server_log_findings(servers, read_methods):
    served = total = 0
    problems = collections.Counter()
    samples = {}
    spent = collections.defaultdict(list)
    for server in servers:
        lines = server["log"].read_text(errors="replace").splitlines() if server["log"].exists() else []
        for kind, seconds in server_seconds(lines).items():
            spent[kind] += seconds
        ro, reads = replica_share(lines, read_methods)
        served, total = served + ro, total + reads
        for line in lines:
            match = LOG_ERROR.match(line)
            if match:
                key = (match["level"], match["logger"], match["msg"][:90])
                problems[key] += 1
                samples.setdefault(key, line[:400])
    return served, total, problems, samples, spent


# ---------------------------------------------------------------- main
def main(argv=None):
    args = parse_args(argv)
    settings = env_settings("soak")
    settings["CRM_REPLICA_PORT"] = os.environ.get("CRM_REPLICA_PORT", "")
    if not args.no_replica and not settings["CRM_REPLICA_PORT"]:
        sys.exit("no replica: run me through 'python3 scripts/crmctl.py soak' (or pass --no-replica)")
    log_dir = os.environ.get("CRM_LOG_DIR") or settings["CRM_DATA_DIR"]
    prepare_database(settings, args)
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    registry = open_registry(settings, args.db)
    servers = []
    try:
        with registry.cursor() as cr:
            world = build_world(api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True}), args)
        # a server that finds no database on the replica falls back to the primary for 20 minutes:
        # the replica must have replayed the new database and its world first
        if not args.no_replica and not wait_replica_caught_up(settings, timeout=600):
            sys.exit("the replica did not catch up with the primary within 10 minutes")
        servers = start_servers(settings, args, log_dir)
        stats, counters, stop = Stats(), collections.Counter(), threading.Event()
        counters["messages"] = []
        started = time.monotonic()
        deadline = started + args.seconds
        driver = threading.Thread(target=cron_driver, args=(registry, world, stop, counters), daemon=True)
        driver.start()
        importer_stop = threading.Event()
        importer = threading.Thread(target=import_worker, args=(registry, world, importer_stop, counters),
                                    daemon=True)
        importer.start()
        results = []
        threads = [threading.Thread(target=distribute_worker, args=(i, servers, args, world, stats, results))
                   for i in range(2)]
        threads += [threading.Thread(target=load_worker, args=(i, servers, args, world, stats, deadline))
                    for i in range(args.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        stop.set()
        driver.join()
        states = drain_imports(registry, world, args.drain_seconds)
        importer_stop.set()
        importer.join()
        drained = time.monotonic() - started
        wait_replica_caught_up(settings)
        served_figures = key_figures_after(servers, args, world)
    finally:
        stop_servers(servers)
    print(f"bench soak servers={args.servers} workers={args.workers} cron_workers={args.cron_workers} "
          f"threads={args.threads} seconds={elapsed:.0f} scale={args.scale} replica={not args.no_replica}", flush=True)
    for kind in (*READ_KINDS, "distribute", "login"):
        if stats.latencies[kind] or stats.errors[kind]:
            print(bench_line(kind, stats.latencies[kind], stats.errors[kind], elapsed), flush=True)
            for message in stats.messages[kind]:
                print(f"#   {kind} error: {message}", flush=True)
    reads = set(KIND_METHODS)
    on_replica, logged_reads, problems, samples, spent = server_log_findings(servers, reads)
    for kind in READ_KINDS:
        if spent[kind]:
            print(f"bench soak {kind} in_server p50_ms={percentile(spent[kind], 0.50) * 1000:.0f} "
                  f"p95_ms={percentile(spent[kind], 0.95) * 1000:.0f} (the rest of the latency: waiting for a "
                  "free worker)", flush=True)
    share = on_replica / logged_reads if logged_reads else 0.0
    print(f"bench soak replica_share={share:.2f} read_requests={logged_reads} on_replica={on_replica}", flush=True)
    with registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM crm_service_escalation_log")
        escalated = cr.fetchone()[0]
        cr.execute("SELECT state, count(*), sum(rows_done), sum(created_count) FROM crm_import_job WHERE id = ANY(%s) "
                   "GROUP BY 1", [world["jobs"]])
        jobs = cr.fetchall()
    print(f"bench soak imports jobs={json.dumps({s: c for s, c, _r, _n in jobs})} "
          f"rows_done={sum(r or 0 for _s, _c, r, _n in jobs)} created={sum(n or 0 for _s, _c, _r, n in jobs)} "
          f"drained_after_s={drained:.0f}", flush=True)
    print(f"bench soak escalation logged={escalated} runs_here={counters['escalation_runs_here']} "
          f"escalated_here={counters['escalated_here']} aborted_here={counters['escalation_aborted_here']}",
          flush=True)
    print(f"bench soak import_worker runs_here={counters['import_runs_here']} "
          f"aborted_here={counters['import_aborted_here']}", flush=True)
    for message in counters["messages"]:
        print(f"#   run aborted: {message}", flush=True)
    errors = sum(count for (level, _logger, _msg), count in problems.items() if level != "WARNING")
    print(f"bench soak server_log errors={errors} warnings={sum(problems.values()) - errors}", flush=True)
    for key, count in sorted(problems.items(), key=lambda item: (item[0][0] == "WARNING", -item[1]))[:8]:
        print(f"#   {count}x {samples[key]}", flush=True)
    violations = check_invariants(registry, world, served_figures)
    print(f"bench soak invariants violations={len(violations)}", flush=True)
    for violation in violations:
        print(f"#   violation: {violation}", flush=True)
    if any(state not in ("done", "failed") for state in states):
        print("#   imports not finished within --drain-seconds", flush=True)
    Registry.delete(args.db)
    if not args.keep:
        drop_database(settings, args.db)
        shutil.rmtree(Path(settings["CRM_DATA_DIR"]) / "filestore" / args.db, ignore_errors=True)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
