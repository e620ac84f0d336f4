from odoo import fields, models
from odoo.tools import SQL

from ..tools import dedup, import_rows


class _ImportRun(import_rows.ImportRun):
    """The memory of one run (see :class:`import_rows.ImportRun`) and what the job looked up for it."""

    def __init__(self, region, lang, phone_only):
        super().__init__()
        self.region = region
        self.lang = lang  # the language new cards get anyway (crm.import.partner.writer._run_settings)
        self.phone_only = phone_only  # res.partner's only number field is ``phone``
        self.tags = {}
        self.countries = {}
        self.users = {}  # salesperson name (case-folded) -> (user id or False, warning)
        self.dry_run = False  # a preview: decide everything, write nothing (tags included)


class _RowLookups(import_rows.Lookups):
    """What normalizing a job's rows asks: translated texts, countries and salespeople (once per run)."""

    def __init__(self, job, run):
        self.job = job
        self.run = run
        self.texts = job._import_texts()

    def text(self, key, /, **params):
        return self.texts[key](**params)

    def identifier_error(self, error):
        return self.job.env["res.partner"]._crm_identifier_error_text(error)

    def country_id(self, name):
        return self.job._country_id(self.run, name)

    def country_code(self, country_id):
        return self.job.env["res.country"].browse(country_id).code

    def salesperson_id(self, name, warnings):
        return self.job._salesperson_id(self.run, name, warnings)


class CrmImportJob(models.Model):
    """One chunk of rows: normalized and decided by :mod:`import_rows`, written by
    ``crm.import.partner.writer``; what the rows need from the database is looked up here."""

    _inherit = "crm.import.job"  # pylint: disable=consider-merging-classes-inherited  # one unit per file

    def _prepare_run(self):
        """One SQL read of the existing partners' keys, indexed in memory for the whole run."""
        run = _ImportRun(self._region(), **self.env["crm.import.partner.writer"]._run_settings())
        self._index_partners(run)
        return run

    def _index_partners(self, run, batch=5000):
        """Add the partners past ``run.last_partner_id`` to the run's duplicate index (all of them at
        the start; before each later chunk, those another import of the company created meanwhile).

        Read ``batch`` partners at a time in id order: the 100,000 rows of a large database are never
        all in memory at once beside the index they feed."""
        self.env["res.partner"].flush_model(["name", "email", "phone_sanitized", "crm_other_phones", "vat", "city",
                                             "is_company", "parent_id"])
        while True:
            # a person's company is the name of its parent organisation, as the file's company column is
            self.env.cr.execute(SQL(
                """SELECT p.id, p.name, p.email, p.phone_sanitized, p.vat, p.city, p.is_company, parent.name,
                          p.crm_other_phones
                     FROM res_partner p
                LEFT JOIN res_partner parent ON parent.id = p.parent_id AND parent.is_company AND NOT p.is_company
                    WHERE p.active AND (p.company_id IS NULL OR p.company_id = %s) AND p.id > %s
                 ORDER BY p.id
                    LIMIT %s""", self.company_id.id, run.last_partner_id, batch))
            partners = self.env.cr.fetchall()
            run.add_existing(partners)
            if len(partners) < batch:
                return

    def _import_texts(self):
        """{code: text(**params)} of the warnings and rejections of a row (see :data:`import_rows.TEXTS`)."""
        return {
            "no_name": lambda: self.env._("No contact name and no organisation"),
            "email": lambda **p: self.env._("Invalid email %(email)s", **p),
            "other_emails": lambda **p: self.env._("Other e-mails: %(emails)s", **p),
            "inn": lambda **p: self.env._("INN %(value)s: %(error)s", **p),
            "kpp": lambda **p: self.env._("KPP %(value)s: %(error)s", **p),
            "area_code_inferred": lambda **p: self.env._("area code %(code)s inferred from %(city)s", **p),
            "no_area_code_several": lambda **p: self.env._(
                "no area code, %(city)s has several (%(codes)s): kept as typed", **p),
            "no_area_code": lambda: self.env._("no area code: kept as typed"),
            "invalid_phone": lambda: self.env._("not a valid number: kept as typed"),
            "phone": lambda **p: self.env._("Phone %(phone)s: %(flag)s", **p),
        }

    def _salesperson_id(self, run, name, warnings):
        """The user named in a salesperson column (one internal user of that name), else False and a warning;
        nobody is created."""
        name = dedup.clean_spaces(name)
        if not name:
            return False
        key = name.casefold()
        if key not in run.users:
            users = self.env["res.users"].search(
                [("name", "=ilike", name), ("share", "=", False), ("company_ids", "in", self.company_id.ids)],
                limit=2)
            if len(users) == 1:
                run.users[key] = (users.id, "")
            elif users:
                run.users[key] = (False, self.env._(
                    "Salesperson %(name)s: several users have this name, left empty", name=name))
            else:
                run.users[key] = (False, self.env._(
                    "Salesperson %(name)s: no such user, left empty", name=name))
        user_id, warning = run.users[key]
        if warning:
            warnings.append(warning)
        return user_id

    def _import_rows(self, run, columns, rows, dry_run=False):
        """Decide and write one chunk of rows; returns one result dict per row (nothing lost)."""
        mapping = self._mapping()
        policy, strict = self.duplicate_policy, self.strict_identifiers
        lookups = _RowLookups(self, run)
        writer = self.env["crm.import.partner.writer"]
        results, new_orgs, new_people, updates = [], [], [], []
        for row_number, values in rows:
            norm, warnings, reject = import_rows.normalize_row(
                mapping, values, run.region, lookups, strict_identifiers=strict)
            result = import_rows.row_result(row_number, columns, values, norm, warnings)
            results.append(result)
            vals = {}
            for role, action, ref in run.decide(result, norm, reject, policy):
                if role not in vals:  # a skipped row's values too: its tags are named (and created) all the same
                    vals[role] = self._org_vals(run, norm) if role == "org" else self._person_vals(run, norm)
                if action == "create":
                    (new_orgs if role == "org" else new_people).append((result, ref, vals[role]))
                elif action == "update":
                    updates.append((result, ref, vals[role]))
        if not dry_run:
            writer._create_partners(run, new_orgs, self.id)
            writer._link_people(run, new_people)
            writer._create_partners(run, new_people, self.id)
        writer._apply_updates(run, updates, overwrite=policy == "overwrite", dry_run=dry_run)
        run.finish(results, dry_run=dry_run)
        return results

    def _org_vals(self, run, norm):
        vals = {
            "name": norm["company"],
            "is_company": True,
            "lang": run.lang,
            "vat": norm["inn"] or norm["vat"] or False,
            "crm_kpp": norm["kpp"] or False,
            "website": norm["website"] or False,
            **self._address_and_owner_vals(run, norm),
        }
        if not norm["name"]:
            vals.update(email=norm["email"] or False, phone=norm["phone"] or False,
                        comment=norm["comment"] or False)
        vals = {key: value for key, value in vals.items() if value}
        self.env["crm.import.partner.writer"]._add_phone_sanitized(
            run.phone_only, vals, norm if not norm["name"] else None)
        return vals

    def _address_and_owner_vals(self, run, norm):
        """What an organisation and a person of a row share: address, tags and salesperson."""
        return {
            "city": norm["city"] or False,
            "street": norm["street"] or False,
            "zip": norm["zip"] or False,
            "country_id": self._country_id(run, norm["country"]),
            "category_id": [fields.Command.set(self._tag_ids(run, norm["tags"]))] if norm["tags"] else False,
            "user_id": norm.get("user_id") or False,
        }

    def _person_vals(self, run, norm):
        vals = {
            "name": norm["name"],
            "is_company": False,
            "type": "contact",
            "email": norm["email"] or False,
            "phone": norm["phone"] or False,
            "function": norm["function"] or False,
            "comment": norm["comment"] or False,
            **self._address_and_owner_vals(run, norm),
        }
        if not norm["company"]:
            vals.update(vat=norm["inn"] or norm["vat"] or False)
        vals = {key: value for key, value in vals.items() if value}
        self.env["crm.import.partner.writer"]._add_phone_sanitized(run.phone_only, vals, norm)
        return vals

    def _country_id(self, run, name):
        if not name:
            return False
        key = name.casefold()
        if key not in run.countries:
            country = self.env["res.country"].search(
                ["|", ("name", "=ilike", name), ("code", "=ilike", name)], limit=1)
            run.countries[key] = country.id
        return run.countries[key]

    def _tag_ids(self, run, names):
        missing = [name for name in names if name.casefold() not in run.tags]
        if missing:
            Category = self.env["res.partner.category"]
            for category in Category.search([("name", "in", missing)]):
                run.tags.setdefault(category.name.casefold(), category.id)
            for name in missing:
                if name.casefold() not in run.tags:
                    # a preview creates none and remembers it (False): not searched again row after row
                    run.tags[name.casefold()] = False if run.dry_run else Category.create({"name": name}).id
        # a preview names the tags it would create but creates none of them
        return [run.tags[name.casefold()] for name in names if run.tags.get(name.casefold())]
