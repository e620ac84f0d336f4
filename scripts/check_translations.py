#!/usr/bin/env python3
"""Russian and Ukrainian translations of the CRM suite: check and update.

Every product addon keeps its template ``i18n/<addon>.pot`` and the two
translations ``i18n/ru.po`` and ``i18n/uk.po``.

    python3 scripts/check_translations.py
        Static check (no database): every term of each template has a
        non-empty, non-fuzzy translation in both languages whose placeholders
        match the source; no translation file carries terms the template
        does not have.

    python3 scripts/check_translations.py --db NAME
        Also compares each committed template with the terms Odoo exports
        from the installed code in database NAME (install the addons without
        demo data), so a new string in the code without a translation fails.

    python3 scripts/check_translations.py --db NAME --update
        Rewrites the templates from the database and merges them into the
        ru/uk files: existing translations are kept, new terms are added
        untranslated, vanished terms are dropped.  Translate the new terms,
        then run the check again.

The test command (``python3 scripts/crmctl.py test``) runs the static check,
and the database comparison on its test database without demo data.
"""

import argparse
import io
import os
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = ROOT / "addons"
LANGUAGES = ("ru", "uk")

PLACEHOLDER_PATTERNS = (
    re.compile(r"%\(\w+\)[sdfr]"),  # python named format
    re.compile(r"%[sdfr]"),  # python positional format
    re.compile(r"\{\{.*?\}\}"),  # qweb/inline template expressions
    re.compile(r"(?<!\{)\{\w*\}(?!\})"),  # str.format and JS sprintf fields
    re.compile(r"</?([a-zA-Z][\w.-]*)"),  # markup tags in view/html terms
)


def translated_addons():
    """Product addons (test-only addons carry no translations)."""
    names = []
    for manifest in sorted(ADDONS_DIR.glob("*/__manifest__.py")):
        text = manifest.read_text(encoding="utf-8")
        if "Hidden/Tests" in text:
            continue
        names.append(manifest.parent.name)
    return names


def placeholders(text):
    found = []
    for pattern in PLACEHOLDER_PATTERNS:
        found.extend(sorted(pattern.findall(text)))
    return found


def entry_key(entry):
    return (entry.msgctxt or "", entry.msgid)


def check_addon(addon):
    """Problems of one addon's committed translation files, as text lines."""
    problems = []
    i18n = ADDONS_DIR / addon / "i18n"
    pot_path = i18n / f"{addon}.pot"
    if not pot_path.exists():
        return [f"{addon}: missing template {pot_path.relative_to(ROOT)}"]
    template = polib.pofile(str(pot_path))
    terms = {entry_key(e): e for e in template if e.msgid and not e.obsolete}
    if not terms:
        problems.append(f"{addon}: the template has no terms")
    for lang in LANGUAGES:
        po_path = i18n / f"{lang}.po"
        if not po_path.exists():
            problems.append(f"{addon}: missing {po_path.relative_to(ROOT)}")
            continue
        try:
            catalog = polib.pofile(str(po_path))
        except (OSError, ValueError) as exc:
            problems.append(f"{addon}/{lang}: unreadable: {exc}")
            continue
        entries = {entry_key(e): e for e in catalog if e.msgid and not e.obsolete}
        for key, source in terms.items():
            entry = entries.get(key)
            label = f"{addon}/{lang}.po: {source.msgid[:70]!r}"
            if entry is None or not entry.msgstr.strip():
                problems.append(f"{label}: not translated")
            elif "fuzzy" in entry.flags:
                problems.append(f"{label}: fuzzy")
            elif placeholders(entry.msgid) != placeholders(entry.msgstr):
                problems.append(
                    f"{label}: placeholders differ {placeholders(entry.msgid)} != {placeholders(entry.msgstr)}"
                )
        for key in sorted(set(entries) - set(terms)):
            problems.append(f"{addon}/{lang}.po: term not in the template (stale): {key[1][:70]!r}")
    return problems


# --------------------------------------------------------------------------- database side


def open_registry(dbname):
    import odoo  # only this mode needs Odoo
    from odoo.modules.registry import Registry

    sys.path.insert(0, str(ROOT / "scripts"))
    import crmctl

    options = crmctl.read_config()
    odoo.tools.config.parse_config([
        "-c", str(crmctl.CONFIG_FILE),
        "--addons-path", ",".join(crmctl.odoo_addons_paths()),
        "--data-dir", str(crmctl.ODOO_DATA),
        # crmctl names the cluster it tests on (a throwaway one for `test --at`)
        "--db_port", os.environ.get("CRM_DB_PORT") or options["db_port"],
        "-d", dbname,
        "--log-level", "warn",
    ])
    return odoo, Registry(dbname)


def exported_templates(dbname, addons):
    """{addon: pot text} exported by Odoo from the installed code in ``dbname``."""
    odoo, registry = open_registry(dbname)
    from odoo.tools.translate import trans_export

    result = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        installed = set(env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
        for addon in addons:
            if addon not in installed:
                raise SystemExit(f"{addon} is not installed in database {dbname}")
            buffer = io.BytesIO()
            trans_export(None, [addon], buffer, "po", env)
            result[addon] = buffer.getvalue().decode("utf-8")
    return result


def compare_with_database(dbname, addons):
    problems = []
    for addon, text in exported_templates(dbname, addons).items():
        pot_path = ADDONS_DIR / addon / "i18n" / f"{addon}.pot"
        current = {entry_key(e) for e in polib.pofile(text) if e.msgid}
        committed = {entry_key(e) for e in polib.pofile(str(pot_path)) if e.msgid} if pot_path.exists() else set()
        for key in sorted(current - committed):
            problems.append(f"{addon}: term in the code but not in {pot_path.name}: {key[1][:70]!r}")
        for key in sorted(committed - current):
            problems.append(f"{addon}: term in {pot_path.name} but no longer in the code: {key[1][:70]!r}")
    return problems


def update_from_database(dbname, addons):
    for addon, text in exported_templates(dbname, addons).items():
        i18n = ADDONS_DIR / addon / "i18n"
        i18n.mkdir(exist_ok=True)
        pot_path = i18n / f"{addon}.pot"
        pot_path.write_text(text, encoding="utf-8")
        template = polib.pofile(text)
        for lang in LANGUAGES:
            po_path = i18n / f"{lang}.po"
            if po_path.exists():
                catalog = polib.pofile(str(po_path))
            else:
                catalog = polib.POFile()
            catalog.metadata = dict(template.metadata)
            catalog.metadata["Language"] = lang
            catalog.metadata["Plural-Forms"] = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 :"
                                                " n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")
            catalog.merge(template)
            for entry in catalog:
                # polib marks near matches as fuzzy; only exact terms keep their translation
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                    entry.msgstr = ""
                    entry.previous_msgid = None
            kept = [e for e in catalog if not e.obsolete]
            catalog[:] = kept
            catalog.save(str(po_path))
            missing = sum(1 for e in kept if e.msgid and not e.msgstr.strip())
            print(f"{po_path.relative_to(ROOT)}: {len(kept)} terms, {missing} to translate")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database with the addons installed (without demo data)")
    parser.add_argument("--update", action="store_true", help="rewrite templates from --db and merge into ru/uk")
    parser.add_argument("addons", nargs="*", help="addons to check (default: every product addon)")
    args = parser.parse_args(argv)
    addons = args.addons or translated_addons()
    if args.update:
        if not args.db:
            parser.error("--update needs --db")
        update_from_database(args.db, addons)
        return 0
    problems = []
    for addon in addons:
        problems.extend(check_addon(addon))
    if args.db:
        problems.extend(compare_with_database(args.db, addons))
    for line in problems[:300]:
        print(line)
    if len(problems) > 300:
        print(f"... and {len(problems) - 300} more")
    checked = ", ".join(addons)
    if problems:
        print(f"translations: {len(problems)} problem(s) in {checked}")
        return 1
    print(f"translations: ru and uk complete for {checked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
