#!/usr/bin/env python3
"""Customer import: our importer against Odoo's native import, on the same sheet.

Run through ``python3 scripts/crmctl.py bench import`` (which sets CRM_ADDONS_PATH,
CRM_CONFIG, CRM_DATA_DIR, CRM_DB_PORT, CRM_DB_USER); add ``--extra --rows 2000``
for a quick run. The script installs crm_core into its own database, inserts
``--rows`` existing partners with set-based SQL, generates a sheet of ``--rows``
rows (a third re-typed customers of the database, a tenth duplicated inside the
file, phones written every way), then in the same run:

- imports it with ``crm.import.job`` (normalization and duplicate control on),
  rolls back;
- imports it with ``base_import.import.execute_import`` (Odoo's own import, one
  call for the whole file: its most favourable case; the organisation column
  mapped to the related company, created when missing, as a person would map
  it), rolls back;
- times "Find duplicates" over the existing partners.

Prints ``bench import ours rows_per_s=…``, ``bench import native rows_per_s=…``
(organisations as related companies, like ours), ``bench import native_flat
rows_per_s=…`` (organisation as plain text: no organisation cards),
``bench import ratio=…``, ``bench import ratio_flat=…``, ``bench dedup existing_partners=… seconds=…`` and
``bench import peak_rss_mb=…`` (peak resident memory of the process during our import, Odoo's loaded
registry included: the peak is reset just before it where Linux allows, ``scope=import``; else the whole
process's; the generated rows are released first, as a server's worker holds only the file).

Our two imports run first, one after the other as one worker would run them, then Odoo's: a
100,000-row import of Odoo's in one call leaves its own memory in the process, which is not our
import's (``# resident memory at the start of our import`` is printed before each of ours).

Then the fair case (``--case unique`` alone): a duplicate-free sheet of ``--rows`` rows (no row repeats
another nor a partner of the database), so every import writes every row. Ours, Odoo's flat import of
the whole sheet (one call) and the bare ``res.partner.create`` of the same cards in batches
(``--create-batch``, the ORM's own limit: no normalization, no duplicate control, no log), each rolled
back. Prints ``bench import unique ours rows_per_s=…``, ``bench import unique peak_rss_mb=…``,
``bench import unique orm_create rows_per_s=…``, ``bench import unique orm_create_flat rows_per_s=…``
(the bare create of what the flat import writes: people with the organisation as text),
``bench import unique native_flat rows_per_s=…`` and ``bench import unique ratio_flat=… ratio_create=…
ratio_create_flat=…`` (goals: ratio_flat ≥ 2.0, ratio_create ≥ 0.9). ``--profile FILE`` writes a
cProfile of our import of that sheet.
"""
import argparse
import base64
import ctypes
import ctypes.util
import gc
import io
import random
import resource
import time

from benchlib import drop_database, env_settings, fresh_database

FIRST = ["Иван", "Пётр", "Анна", "Мария", "Ольга", "Сергей", "Дмитрий", "Олена", "Тарас", "Андрій", "Елена",
         "Алексей", "Наталья", "Михаил", "Татьяна", "Николай", "Юлия", "Владимир", "Ирина", "Павел"]
LAST = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Орлов", "Шевченко", "Бондаренко",
        "Коваленко", "Волков", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов", "Павлов", "Фёдоров"]
CITIES = ["Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань", "Нижний Новгород", "Самара",
          "Омск", "Ростов-на-Дону", "Уфа", "Київ", "Дніпро"]
ORGS = ["Ромашка", "СтройМаш", "Альфа-Трейд", "Вектор", "Гранит", "Северсталь-Сервис", "Техноком", "Агроинвест"]
FORMS = ["ООО", "ЗАО", "АО", "ПАО", "ИП"]
ROLES = ["Директор", "Главный бухгалтер", "Снабженец", "Менеджер по закупкам", "Кладовщик", ""]
HEADER = ["Контактное лицо", "Организация", "ИНН", "КПП", "Должность", "Телефон", "E-mail", "Город", "Метка"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the sheet and existing partners")
    parser.add_argument("--existing", type=int, help="existing partners (default: --rows)")
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--db", default="bench_import", help="database to create (dropped at the end)")
    parser.add_argument("--template", help="clone this database first (e.g. tpl_base) instead of an empty one")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (and reuse it)")
    parser.add_argument("--skip-native", action="store_true", help="only run our importer")
    parser.add_argument("--native-rows", type=int, default=5000,
                        help="rows given to Odoo's native import linking organisations (measured on this sample: "
                             "it runs at about 10 rows/s)")
    parser.add_argument("--flat-rows", type=int, default=None,
                        help="rows given to Odoo's flat native import (default: the whole sheet, like ours)")
    parser.add_argument("--case", choices=("all", "duplicates", "unique"), default="all",
                        help="the duplicate-heavy sheet, the duplicate-free one, or both (default)")
    parser.add_argument("--create-batch", type=int, default=2000,
                        help="records per res.partner.create call of the bare ORM reference")
    parser.add_argument("--create-rows", type=int, default=None,
                        help="rows given to the bare ORM create (default: the whole sheet, like ours)")
    parser.add_argument("--profile", help="write a cProfile of our import of the duplicate-free sheet here")
    return parser.parse_args()












# ---------------------------------------------------------------- data
def messy_phone(rng, digits):
    """The same mobile written the ways people write it."""
    d = digits
    return rng.choice([
        f"+7 ({d[0:3]}) {d[3:6]}-{d[6:8]}-{d[8:10]}",
        f"8 {d[0:3]} {d[3:6]} {d[6:8]} {d[8:10]}",
        f"8{d}",
        f"7{d}",
        f"+7{d[0:3]}{d[3:6]}-{d[6:8]}-{d[8:10]}",
        f"8-{d[0:3]}-{d[3:6]}-{d[6:8]}-{d[8:10]}",
        f"+7 {d[0:3]} {d[3:6]}-{d[6:8]}-{d[8:10]} доб. {rng.randint(10, 999)}",
        f"{d[3:6]}-{d[6:8]}-{d[8:10]}",
        "нет",
        "",
    ])


def existing_digits(i):
    return f"9{(i * 7919) % 1_000_000_000:09d}"


def insert_existing_partners(env, count):
    """``count`` partners in one set-based INSERT … SELECT (the NOT NULL columns copied from a template row)."""
    cr = env.cr
    template = env.ref("base.main_partner").id
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = 'res_partner' AND is_nullable = 'NO' AND column_default IS NULL""")
    ours = {"id", "name", "complete_name", "email", "phone", "phone_sanitized", "city", "is_company", "active",
            "type", "create_date", "write_date", "commercial_partner_id"}
    copied = [name for (name,) in cr.fetchall() if name not in ours]
    copied_sql = "".join(f', t."{name}"' for name in copied)
    copied_cols = "".join(f', "{name}"' for name in copied)
    cities = "ARRAY[" + ",".join(f"'{c}'" for c in CITIES) + "]"
    lasts = "ARRAY[" + ",".join(f"'{c}'" for c in LAST) + "]"
    firsts = "ARRAY[" + ",".join(f"'{c}'" for c in FIRST) + "]"
    # fixed literals above (module constants), the count is an int: no user input reaches the SQL
    cr.execute(f"""
        INSERT INTO res_partner (name, complete_name, email, phone, phone_sanitized, city, is_company, active,
                                 type, create_date, write_date{copied_cols})
        SELECT n.name, n.name, 'client' || i || '@bench.example', p.phone, p.phone,
               ({cities})[1 + i %% {len(CITIES)}], false, true, 'contact', now(), now(){copied_sql}
          FROM generate_series(1, %s) AS i
          CROSS JOIN LATERAL (SELECT ({lasts})[1 + i %% {len(LAST)}] || ' ' || ({firsts})[1 + (i / 7) %% {len(FIRST)}]
                                     || ' ' || i AS name) n
          CROSS JOIN LATERAL (SELECT '+79' || lpad(((i * 7919) %% 1000000000)::text, 9, '0') AS phone) p
          CROSS JOIN (SELECT * FROM res_partner WHERE id = %s) t
    """, (count, template))  # noqa: S608 - module constants and an int count, as said above
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL")
    env.invalidate_all()


def generate_rows(rows, existing, seed=7):
    """A third of the rows are customers of the database re-typed, a tenth repeat a row above."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    data = []
    for n in range(rows):
        kind = rng.random()
        if data and kind < 0.10:
            previous = list(rng.choice(data))
            previous[0] = previous[0].upper()
            previous[6] = previous[6].upper()
            data.append(previous)
            continue
        # about ten contacts per organisation
        org = f"{rng.choice(FORMS)} «{rng.choice(ORGS)} {rng.randint(1, max(rows // 400, 1))}»"
        city = rng.choice(CITIES)
        if kind < 0.40 and existing:
            i = rng.randint(1, existing)
            name = f"{LAST[i % len(LAST)]} {FIRST[(i // 7) % len(FIRST)]} {i}"
            email = f"client{i}@bench.example"
            phone = messy_phone(rng, existing_digits(i))
            city = CITIES[i % len(CITIES)]
        else:
            name = f"{rng.choice(LAST)} {rng.choice(FIRST)} {rows + n}"
            email = f"new{n}@bench.example" if rng.random() < 0.9 else ""
            phone = messy_phone(rng, f"9{rng.randint(0, 999_999_999):09d}")
        data.append([name, org, "", "", rng.choice(ROLES), phone, email, city, rng.choice(["VIP", "опт", ""])])
    return data


def generate_unique_rows(rows, seed=11):
    """A duplicate-free sheet: no row repeats another nor a partner of the database (names, e-mails and
    phones all new; the existing phones are multiples of 7919, these never are); about ten contacts per
    organisation, in its city (the organisation of a row is the same card for every importer: Odoo's batch
    ``create`` makes one per name, ours one per name and city), phones written every way."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    data = []
    for n in range(rows):
        group = n // 10
        org = f"{FORMS[group % len(FORMS)]} «{ORGS[group // len(FORMS) % len(ORGS)]} {group}»"
        city = CITIES[group * 7 % len(CITIES)]
        digits = f"9{(n * 7919 + 1) % 1_000_000_000:09d}"
        phone = messy_phone(rng, digits)
        name = f"{rng.choice(LAST)} {rng.choice(FIRST)} {rows + n}"
        data.append([name, org, "", "", rng.choice(ROLES), phone, f"unique{n}@bench.example", city,
                     rng.choice(["VIP", "опт", ""])])
    return data


def build_file(rows, fmt):
    if fmt == "csv":
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8"), "customers.csv", "text/csv"
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Клиенты")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return (buffer.getvalue(), "customers.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def reset_peak_rss():
    """Start measuring the peak again (Linux: writing 5 to clear_refs resets VmHWM); False if unsupported.

    The memory freed by what ran before (sheet generation, "Find duplicates") is first handed back to the
    system (glibc keeps it otherwise): the peak is then that of the import, not of the steps before it.
    """
    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the peak may include memory freed earlier
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def _status_mb(field):
    """A memory figure of /proc/self/status (``VmRSS``, ``VmHWM``) in MB, else None."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def rss_mb():
    """Resident memory now (VmRSS)."""
    return _status_mb("VmRSS") or 0.0


def peak_rss_mb():
    """Peak resident memory since the last reset (VmHWM), else of the whole process."""
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- measures
def run_ours(env, content, filename, rows):
    env["ir.config_parameter"].set_param("crm_core.import_max_size_mb", 500)
    started = time.perf_counter()
    job = env["crm.import.job"].create({
        "file": base64.b64encode(content), "filename": filename,
        "region_country_id": env.ref("base.ru").id, "duplicate_policy": "skip",
    })
    job.action_read_file()
    job.action_queue()  # the background path, run here in-process without commits
    job._run()
    env.flush_all()
    seconds = time.perf_counter() - started
    print(f"# ours: created={job.created_count} updated={job.updated_count} skipped={job.skipped_count} "
          f"rejected={job.rejected_count} rows={job.rows_total}", flush=True)
    assert job.rows_total == rows, "every row of the sheet is read"  # noqa: S101 - the benchmark's own sanity check
    return rows / seconds


def run_native(env, content, filename, mimetype, rows, organisation_field="parent_id"):
    started = time.perf_counter()
    wizard = env["base_import.import"].create({"res_model": "res.partner", "file": content,
                                               "file_name": filename, "file_type": mimetype})
    options = {
        "has_headers": True, "quoting": '"', "separator": ";", "encoding": "utf-8", "sheet": "Клиенты",
        "date_format": "", "datetime_format": "", "float_thousand_separator": " ",
        "float_decimal_separator": ",", "fields": [], "import_skip_records": [], "import_set_empty_fields": [],
        # the organisation column as the related company, created when missing (same result as ours),
        # or as the plain "Company Name" text (no organisation cards: the flat, cheapest native import)
        "name_create_enabled_fields": {"parent_id": True} if organisation_field == "parent_id" else {},
    }
    fields_map = ["name", organisation_field, False, False, "function", "phone", "email", "city", False]
    result = wizard.execute_import(fields_map, HEADER, options)
    env.flush_all()
    seconds = time.perf_counter() - started
    errors = [m for m in result.get("messages", []) if m.get("type") == "error"]
    print(f"# native: created={len(result.get('ids') or [])} errors={len(errors)}", flush=True)
    return rows / seconds


def run_orm_create(env, rows, batch, flat=False):
    """The same cards as ours (one organisation per distinct name, people linked to it, tags) made by
    ``res.partner.create`` in batches of ``batch``: the ORM's own limit, without normalization, duplicate
    control nor log. ``flat``: the cards of the flat import instead (the organisation as the plain
    ``company_name`` text, no organisation card): the ORM's limit for what native_flat writes."""
    from odoo import Command

    Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True,
                                              mail_create_nosubscribe=True)
    started = time.perf_counter()
    tags = {name: env["res.partner.category"].create({"name": name}).id
            for name in sorted({row[8] for row in rows if row[8]})}
    organisations = {}
    created = 0
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        names = [] if flat else list(dict.fromkeys(
            row[1] for row in chunk if row[1] and row[1] not in organisations))
        for name, partner in zip(names, Partner.create([{"name": name, "is_company": True} for name in names]),
                                 strict=True):
            organisations[name] = partner.id
        people = Partner.create([{
            "name": row[0], "function": row[4] or False, "phone": row[5] or False, "email": row[6] or False,
            "city": row[7] or False, "parent_id": organisations.get(row[1], False),
            "company_name": row[1] if flat else False,
            "category_id": [Command.set([tags[row[8]]])] if row[8] else False,
        } for row in chunk])
        created += len(names) + len(people)
        env.flush_all()
        env.invalidate_all()
    seconds = time.perf_counter() - started
    print(f"# orm_create{'_flat' if flat else ''}: created={created} batch={batch}", flush=True)
    return len(rows) / seconds


def run_dedup(env):
    from odoo.addons.crm_core.tools import dedup

    started = time.perf_counter()
    wizard = env["crm.partner.dedup.wizard"].create({})
    records = wizard._partner_keys()
    groups = dedup.find_duplicate_groups(records)
    seconds = time.perf_counter() - started
    return len(records), len(groups), seconds


def measure(settings, args):
    import odoo
    from odoo import api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config([
        "-c", settings["CRM_CONFIG"], "--addons-path", settings["CRM_ADDONS_PATH"],
        "--data-dir", settings["CRM_DATA_DIR"], "--db_port", settings["CRM_DB_PORT"],
        "--db_user", settings["CRM_DB_USER"], "--log-level", "warn",
    ])
    existing = args.rows if args.existing is None else args.existing
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        env.company.country_id = env.ref("base.ru")
        started = time.perf_counter()
        insert_existing_partners(env, existing)
        cr.commit()
        print(f"# {existing} existing partners inserted in {time.perf_counter() - started:.1f}s", flush=True)
    # Our imports first, one after the other as one worker would run them; then Odoo's, whose own
    # memory (a 100,000-row import in one call) is not left in the process our imports are measured in.
    print("# our imports first (duplicate-heavy, then duplicate-free), then Odoo's", flush=True)
    duplicates = ours_duplicates(registry, args, existing) if args.case in ("all", "duplicates") else None
    unique = ours_unique(registry, args) if args.case in ("all", "unique") else None
    if duplicates:
        odoo_duplicates(registry, args, existing, *duplicates)
    if unique:
        odoo_unique(registry, args, *unique)


def ours_duplicates(registry, args, existing):
    """The duplicate-heavy sheet, our import (skipping the duplicates); returns (sheet, rows/s)."""
    from odoo import api

    rows = generate_rows(args.rows, existing)
    sheet = build_file(rows, args.format)
    print(f"# sheet: {args.rows} rows, {len(sheet[0]) / 1048576:.1f} MB {args.format}", flush=True)
    del rows  # the generated rows are not the import's memory (made again, same seed, for a smaller sample)

    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        partners, groups, seconds = run_dedup(env)
        print(f"bench dedup existing_partners={partners} groups={groups} seconds={seconds:.2f}", flush=True)
        cr.rollback()
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        print(f"# process peak before our import (sheet generation, dedup): {peak_rss_mb():.0f} MB", flush=True)
        scope = "import" if reset_peak_rss() else "process"
        print(f"# resident memory at the start of our import: {rss_mb():.0f} MB", flush=True)
        ours = run_ours(env, *sheet[:2], args.rows)
        print(f"bench import ours rows_per_s={ours:.0f}", flush=True)
        print(f"bench import peak_rss_mb={peak_rss_mb():.0f} scope={scope}", flush=True)
        cr.rollback()
    return sheet, ours


def odoo_duplicates(registry, args, existing, sheet, ours):
    """Odoo's import (writing every row) of the duplicate-heavy sheet, against ours."""
    from odoo import api

    if args.skip_native:
        return
    results = {}
    samples = (("native", "parent_id", args.native_rows), ("native_flat", "company_name", args.flat_rows))
    for label, organisation_field, sample in samples:
        size = min(args.rows, sample or args.rows)
        sample_file = sheet if size == args.rows else build_file(
            generate_rows(args.rows, existing)[:size], args.format)  # made again only for a smaller sample
        print(f"# {label}: Odoo's import of the first {size} rows", flush=True)
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            results[label] = run_native(env, *sample_file, size, organisation_field)
            cr.rollback()
    print("# fair comparison: the same sheet, in the same process and run, each import rolled back; ours with "
          "phone/email/INN normalization and duplicate control on (policy skip), organisations created and "
          "linked, one log row per input row; native = base_import execute_import of res.partner, one call "
          "for its rows, the organisation column as the related company (created when missing: the "
          "same cards as ours); native_flat = the organisation as plain text (no organisation card, no "
          "duplicate control: Odoo's cheapest import, the strict reference for ratio_flat)", flush=True)
    print(f"bench import native rows_per_s={results['native']:.0f}", flush=True)
    print(f"bench import native_flat rows_per_s={results['native_flat']:.0f}", flush=True)
    print(f"bench import ratio={ours / results['native']:.2f}", flush=True)
    print(f"bench import ratio_flat={ours / results['native_flat']:.2f}", flush=True)


def ours_unique(registry, args):
    """The duplicate-free sheet, our import: every row becomes a card in every import, so no one wins by
    skipping rows. Returns (sheet, rows/s)."""
    from odoo import api

    rows = generate_unique_rows(args.rows)
    sheet = build_file(rows, args.format)
    print(f"# unique sheet: {args.rows} rows without duplicates, {len(sheet[0]) / 1048576:.1f} MB {args.format}",
          flush=True)
    del rows  # the generated rows are not the import's memory: made again (same seed) for the other measures
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        scope = "import" if reset_peak_rss() else "process"
        print(f"# resident memory at the start of our import: {rss_mb():.0f} MB", flush=True)
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            ours = profiler.runcall(run_ours, env, *sheet[:2], args.rows)
            profiler.dump_stats(args.profile)
        else:
            ours = run_ours(env, *sheet[:2], args.rows)
        print(f"bench import unique ours rows_per_s={ours:.0f}", flush=True)
        print(f"bench import unique peak_rss_mb={peak_rss_mb():.0f} scope={scope}", flush=True)
        cr.rollback()
    return sheet, ours


def odoo_unique(registry, args, sheet, ours):
    """The duplicate-free sheet: Odoo's flat import of the whole sheet (one call) and the bare batch
    ``res.partner.create`` of the same cards, each rolled back, against ours (normalization, duplicate
    control against the database, organisations linked, a log row per row)."""
    from odoo import api

    rows = generate_unique_rows(args.rows)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        orm = run_orm_create(env, rows[:args.create_rows or args.rows], args.create_batch)
        print(f"bench import unique orm_create rows_per_s={orm:.0f}", flush=True)
        cr.rollback()
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        orm_flat = run_orm_create(env, rows[:args.create_rows or args.rows], args.create_batch, flat=True)
        print(f"bench import unique orm_create_flat rows_per_s={orm_flat:.0f}", flush=True)
        cr.rollback()
    if args.skip_native:
        print(f"bench import unique ratio_create={ours / orm:.2f}", flush=True)
        return
    size = min(args.rows, args.flat_rows or args.rows)
    sample_file = sheet if size == args.rows else build_file(rows[:size], args.format)
    print(f"# native_flat: Odoo's import of the first {size} rows of the unique sheet", flush=True)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        flat = run_native(env, *sample_file, size, "company_name")
        cr.rollback()
    print(f"bench import unique native_flat rows_per_s={flat:.0f}", flush=True)
    print(f"bench import unique ratio_flat={ours / flat:.2f} ratio_create={ours / orm:.2f} "
          f"ratio_create_flat={ours / orm_flat:.2f} (goals: ratio_flat >= 2.0, ratio_create >= 0.9)", flush=True)


def main():
    args = parse_args()
    settings = env_settings("import")
    created = fresh_database(settings, args, "crm_core,base_import")
    try:
        measure(settings, args)
    finally:
        if created and not args.keep:
            drop_database(settings, args.db)


if __name__ == "__main__":
    main()
