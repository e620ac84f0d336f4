"""Upgrade check: a database with demo data made by an earlier version upgrades in place.

``crmctl test`` installs the suite with demo data from the addons of ``UPGRADE_FROM`` (``git
archive`` into ``.local/upgrade-src/``), then updates it with this tree's addons as ``run --update``
does (``-u`` of the product's addons), and fails when the update logs a warning or an error, or when
the customers, deals, deal lines, orders and tickets of the demo are not all there afterwards.
"""
import subprocess

from . import cluster
from .common import ADDONS_DIR, LOCAL, PRODUCT_ADDONS, ROOT, TEST_LOG_DIR, SetupError, free_port, say
from .odoo_server import odoo_addons_paths, odoo_command

SOURCES = LOCAL / "upgrade-src"
PREVIOUS_DEMO_ADDONS = ["sale_mrp", "crm_l10n_ua"]  # what `run` installed beside the product at UPGRADE_FROM
# what must survive the upgrade: (label, query on the old names, query on the new names or None)
COUNTS = [
    ("customers", "SELECT count(*) FROM res_partner", None),
    ("deals", "SELECT count(*), sum(expected_revenue) FROM crm_lead", None),
    ("deal lines", "SELECT count(*), sum(price_subtotal) FROM crm_deal_line", None),
    ("deal pricelists and currencies", "SELECT count(crm_pricelist_id), count(crm_currency_id) FROM crm_lead", None),
    ("deals lost to a competitor", "SELECT count(lost_competitor_id) FROM crm_lead",
     "SELECT count(crm_lost_competitor_id) FROM crm_lead"),
    ("competitors on deals", "SELECT count(*) FROM crm_competitor_crm_lead_rel", None),
    ("lost reasons naming a competitor", "SELECT count(competitor_id) FROM crm_lost_reason",
     "SELECT count(crm_competitor_id) FROM crm_lost_reason"),
    ("salespeople's distribution settings",
     "SELECT sum(distribution_weight), count(territory_cities), count(absent_from) FROM crm_team_member",
     "SELECT sum(crm_distribution_weight), count(crm_territory_cities), count(crm_absent_from) FROM crm_team_member"),
    ("salespeople's territories", "SELECT count(*) FROM crm_team_member_res_country_state_rel", None),
    ("tracked changes of our deal fields",
     "SELECT count(*) FROM mail_tracking_value v JOIN ir_model_fields f ON f.id = v.field_id"
     " WHERE f.model = 'crm.lead' AND f.name IN ('lost_competitor_id', 'competitor_ids')",
     "SELECT count(*) FROM mail_tracking_value v JOIN ir_model_fields f ON f.id = v.field_id"
     " WHERE f.model = 'crm.lead' AND f.name IN ('crm_lost_competitor_id', 'crm_competitor_ids')"),
    ("orders", "SELECT count(*), sum(amount_total) FROM sale_order", None),
    ("manufacturing orders from deals", "SELECT count(crm_lead_id) FROM mrp_production", None),
    ("tickets", "SELECT count(*) FROM crm_service_ticket", None),
    ("interactions", "SELECT count(*) FROM crm_interaction", None),
]


class NotInClone(Exception):
    """The earlier commit is not in this clone (a shallow clone)."""


def previous_addons(revision):
    """The ``addons`` folder of ``revision``, extracted once."""
    if subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{revision}^{{commit}}"],
                      capture_output=True, check=False).returncode:
        raise NotInClone(revision)
    target = SOURCES / revision
    if not (target / "addons").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "addons"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "addons"


def with_addons(command, addons_dir):
    """``command`` (an ``odoo_command``) with ``addons_dir`` in place of this tree's addons."""
    paths = [path for path in odoo_addons_paths() if path != str(ADDONS_DIR)] + [str(addons_dir)]
    index = command.index("--addons-path")
    return [*command[:index + 1], ",".join(paths), *command[index + 2:]]


def run_odoo(addons_dir, dbname, log, *args):
    command = with_addons(odoo_command(
        "-d", dbname, "--db-filter", f"^{dbname}$", "--stop-after-init", "--max-cron-threads", "0",
        "--http-port", str(free_port()), "--gevent-port", str(free_port()), "--logfile", str(log), *args),
        addons_dir)
    log.unlink(missing_ok=True)
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def record_counts(dbname, after):
    from psycopg2 import sql  # noqa: PLC0415 - psycopg2 comes with Odoo, crmctl runs without it too

    port = cluster.active_cluster().port
    return {label: tuple(float(value or 0) for value in cluster.pg_query(
                port, sql.SQL((after and new) or old), dbname)[0])
            for label, old, new in COUNTS}


def check_upgrade(revision, dbname, parse_log):
    """Failures of the upgrade of a demo database made by ``revision`` (empty: it passed)."""
    old_addons = previous_addons(revision)
    TEST_LOG_DIR.mkdir(parents=True, exist_ok=True)
    install_log, update_log = TEST_LOG_DIR / f"{dbname}-install.log", TEST_LOG_DIR / f"{dbname}-update.log"
    cluster.drop_database(dbname)
    try:
        say(f"Installing the suite with demo data as of {revision} into {dbname} ...")
        if run_odoo(old_addons, dbname, install_log, "-i", ",".join(PRODUCT_ADDONS + PREVIOUS_DEMO_ADDONS),
                    "--with-demo", "--log-level", "warn"):
            return [f"installing {revision} failed, see {install_log}"]
        before = record_counts(dbname, after=False)
        say(f"Updating {dbname} with this tree's addons (as run --update) ...")
        if run_odoo(ADDONS_DIR, dbname, update_log, "-u", ",".join(PRODUCT_ADDONS), "--log-level", "info"):
            return [f"the update failed, see {update_log}"]
        failures = [f"logged: {line[:400]}" for line in parse_log(update_log.read_text(errors="replace")).problems]
        after = record_counts(dbname, after=True)
        for label, counted in before.items():
            say(f"  {label}: {counted} before, {after[label]} after")
            if counted != after[label]:
                failures.append(f"{label}: {counted} before the upgrade, {after[label]} after")
        return failures
    except SetupError as exc:
        return [str(exc)]
    finally:
        cluster.drop_database(dbname)
