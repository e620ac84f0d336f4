"""Customer import, one row at a time: file values → normalized values, then the duplicate decision.

Pure Python (no odoo import), tested by ``tests/test_crm_core_import_rows.py``. What a row needs from
the database (a country, a salesperson) and every text a person reads come through a :class:`Lookups`
object: the import's model gives one that searches and translates (``crm.import.job``), the tests the
plain English one below. Writing the cards is not done here (``crm.import.partner.writer``).
"""
import importlib.util
import pathlib
import sys

if __package__:
    from . import dedup, headers, inn, phone
else:  # loaded from its file alone by the database-free tests (tests/conftest.py): load the siblings the same way
    def _sibling(name):
        module_name = f"_crm_suite_tools_crm_core_{name}"
        if module_name not in sys.modules:
            spec = importlib.util.spec_from_file_location(module_name, pathlib.Path(__file__).with_name(f"{name}.py"))
            sys.modules[module_name] = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(sys.modules[module_name])
        return sys.modules[module_name]

    dedup, headers, inn, phone = (_sibling(name) for name in ("dedup", "headers", "inn", "phone"))

POLICIES = ("skip", "fill", "overwrite", "create")
DECISIONS = ("created", "updated", "skipped", "rejected")

# The texts of a row's warnings and rejections, in English: the model gives them translated
# (crm.import.job._import_text holds the same sentences).
TEXTS = {
    "no_name": "No contact name and no organisation",
    "email": "Invalid email %(email)s",
    "other_emails": "Other e-mails: %(emails)s",
    "inn": "INN %(value)s: %(error)s",
    "kpp": "KPP %(value)s: %(error)s",
    "area_code_inferred": "area code %(code)s inferred from %(city)s",
    "no_area_code_several": "no area code, %(city)s has several (%(codes)s): kept as typed",
    "no_area_code": "no area code: kept as typed",
    "invalid_phone": "not a valid number: kept as typed",
    "phone": "Phone %(phone)s: %(flag)s",
}


class Lookups:
    """What normalizing a row asks outside the row: texts, countries and salespeople by name.

    This default speaks English and knows no country nor salesperson; the import's model overrides it.
    """

    def text(self, key, /, **params):
        return TEXTS[key] % params

    def identifier_error(self, error):
        """The text of an :mod:`inn` error (an INN or KPP failing its test)."""
        return error

    def country_id(self, name):
        """The id of the country ``name`` (a name or an ISO code), else False."""
        return False

    def country_code(self, country_id):
        """The ISO code of ``country_id``, else ""."""
        return ""

    def salesperson_id(self, name, warnings):
        """The user named ``name``, else False (a warning appended to ``warnings`` says why)."""
        return False


def mapped_values(mapping, values):
    """{target: text} of one row for ``mapping`` ({target: [column index, ...]}): the phones of several
    columns joined with ", ", the first e-mail of several as ``email`` and the others as ``email_others``."""
    cells = {target: [values[index].strip() for index in indexes if index < len(values) and values[index]
                      and values[index].strip()] for target, indexes in mapping.items()}
    get = {target: texts[0] if texts else "" for target, texts in cells.items()}
    get["phone"] = ", ".join(dict.fromkeys(cells.get("phone", ())))
    emails = list(dict.fromkeys(cells.get("email", ())))
    get["email"] = emails[0] if emails else ""
    get["email_others"] = emails[1:]
    return get


def normalize_row(mapping, values, region, lookups, strict_identifiers=False):
    """File values → ``(norm, warnings, reject)``: the normalized values, the warnings (texts) and the
    reasons to reject the row (``[(code, text)]``, empty if it is imported). ``region``: the ISO code of
    the country of numbers typed without +, unless the row names a country."""
    get = mapped_values(mapping, values)
    warnings, reject = [], []
    norm = {
        # a full name column wins; else the parts, "Фамилия Имя Отчество" as Russians write it
        "name": dedup.clean_spaces(get.get("name")) or dedup.clean_spaces(
            headers.join_name({key: get.get(key) for key in headers.NAME_PARTS})),
        "company": dedup.clean_spaces(get.get("company")),
        "function": dedup.clean_spaces(get.get("function")),
        "city": dedup.clean_spaces(get.get("city")),
        "street": dedup.clean_spaces(get.get("street")),
        "zip": dedup.clean_spaces(get.get("zip")),
        "country": dedup.clean_spaces(get.get("country")),
        "website": dedup.clean_spaces(get.get("website")),
        "comment": (get.get("comment") or "").strip(),
        "tags": [dedup.clean_spaces(t) for t in (get.get("tag") or "").replace(";", ",").split(",") if t.strip()],
        "vat": dedup.clean_spaces(get.get("vat")),
    }
    if not norm["name"] and not norm["company"]:
        reject.append(("no_name", lookups.text("no_name")))
    email = dedup.normalize_email(get.get("email"))
    if email and not dedup.is_valid_email(email):
        reject.append(("email", lookups.text("email", email=get.get("email"))))
        email = ""
    norm["email"] = email
    if get["email_others"]:
        # the first e-mail is the card's; the others are kept in its notes, not lost
        norm["comment"] = "\n".join(filter(None, [norm["comment"], lookups.text(
            "other_emails", emails=", ".join(get["email_others"]))]))
    norm["user_id"] = lookups.salesperson_id(get.get("user"), warnings)
    country_id = lookups.country_id(norm["country"])
    if country_id:
        region = lookups.country_code(country_id) or region
    norm.update(normalize_phones(get.get("phone"), region, norm["city"], lookups, warnings))
    for key, checker in (("inn", inn.inn_error), ("kpp", inn.kpp_error)):
        value = inn.clean_number(get.get(key))
        error = checker(value)
        norm[key] = "" if error else value
        norm[f"{key}_typed"] = value
        if error:
            # whole sentences, so that a translation says ИНН/КПП (never a label glued in code)
            message = lookups.text(key, value=value, error=lookups.identifier_error(error))
            if strict_identifiers:
                reject.append((key, message))
            else:
                warnings.append(message)
    return norm, warnings, reject


def normalize_phones(cell, region, city, lookups, warnings):
    """Every number of the phone cell, in ``region`` and ``city``: the phone values of a row.

    ``phone``: the first number; ``phone_other``: the others (to ``crm_other_phones``);
    ``phone_keys``: the E.164 form of each trusted number, the duplicate keys (``phone_key``:
    the first of them); ``phone_flag``: what a human should look at (each flag is also a warning).
    """
    results = phone.normalize_phones(cell, region, city=city)
    values = list(dict.fromkeys(result.value for result in results))
    keys = list(dict.fromkeys(result.e164 for result in results if result.status == phone.STATUS_OK))
    flags = []
    for result in results:
        if result.inferred_area_code:
            flag = lookups.text("area_code_inferred", code=result.inferred_area_code, city=result.city)
        elif result.status == phone.STATUS_NO_AREA_CODE and result.area_codes:
            flag = lookups.text("no_area_code_several", city=result.city, codes=", ".join(result.area_codes))
        elif result.status == phone.STATUS_NO_AREA_CODE:
            flag = lookups.text("no_area_code")
        elif result.status == phone.STATUS_INVALID:
            flag = lookups.text("invalid_phone")
        else:
            continue
        flags.append(flag)
        warnings.append(lookups.text("phone", phone=result.raw, flag=flag))
    return {
        "phone": values[0] if values else "",
        "phone_other": values[1:],
        "phone_keys": keys,
        "phone_key": keys[0] if keys else "",
        "phone_flag": "; ".join(dict.fromkeys(flags)),
        "phone_inferred": any(result.inferred_area_code for result in results),
    }


def row_result(row_number, columns, values, norm, warnings):
    """The record of one row's outcome, before its decision (see :meth:`ImportRun.decide`)."""
    return {
        "row_number": row_number,
        "values": dict(zip(columns, values, strict=False)),
        "norm": norm,
        "name": norm["name"],
        "company_name": norm["company"],
        "phone": norm["phone"],
        "phone_flag": norm["phone_flag"],
        "phone_inferred": norm["phone_inferred"],
        "email": norm["email"],
        "inn": norm["inn"] or norm["inn_typed"],
        "warnings": warnings,
        "partner_ref": None,
        "duplicate_ref": None,
        "match_reason": False,
    }


# A card the run creates is known, until the writer created it, by a placeholder: a negative int
# standing for its row and role (the ids of the database are positive). An int, not a tuple: a
# 100,000-row import holds 110,000 of them in its duplicate index.
ROLES = ("org", "person", "dup")


def placeholder(row_number, role):
    """The placeholder of the card ``role`` (one of ROLES) row ``row_number`` creates."""
    return -(row_number * len(ROLES) + ROLES.index(role) + 1)


def is_placeholder(ref):
    """``ref`` is a card of this run not created yet (else an id of the database, or None)."""
    return ref is not None and ref < 0


def placeholder_row(ref):
    """The row number of the file that creates the card of placeholder ``ref``."""
    return (-ref - 1) // len(ROLES)


def count_preview(results, totals, reject_reasons):
    """Add the decisions of ``results`` to the preview's counters (collections.Counter)."""
    for result in results:
        totals["rows"] += 1
        totals[result["decision"]] += 1
        duplicate = result["duplicate_ref"]
        if duplicate is not None:
            # a placeholder is a card an earlier row of the file creates
            totals["file_duplicate" if is_placeholder(duplicate) else "existing_duplicate"] += 1
        totals["phone_inferred"] += bool(result["phone_inferred"])
        reject_reasons.update(result.get("reject_codes", ()))


class ImportRun:
    """Memory of one import run across its chunks: the duplicate index and what the run created.

    The index is filled from the existing partners (:meth:`add_existing`); each card the run decides to
    create is added to it, so duplicates inside the file are caught like duplicates of the database.
    Cards not created yet are indexed under a :func:`placeholder`, resolved once the writer created them
    (``ref_ids``).
    """

    def __init__(self):
        self.index = dedup.DuplicateIndex()
        self.ref_ids = {}  # placeholder -> partner id once created
        self.last_partner_id = 0  # the highest partner id indexed from the database
        self.people_linked = 0  # contacts the run linked to an organisation (see the writer's _link_people)
        self.next_parent_analyze = None  # when to refresh the statistics of parent_id (set by the writer)

    def resolve(self, ref):
        if is_placeholder(ref):
            return self.ref_ids.get(ref, False)
        return ref or False

    def add_existing(self, partners):
        """Index partners of the database: ``(id, name, email, phone_sanitized, vat, city, is_company,
        name of the parent organisation, other phones)`` tuples in id order."""
        index, own = self.index, set(self.ref_ids.values())
        for pid, name, email, phone_sanitized, vat, city, is_company, company, others in partners:
            self.last_partner_id = pid
            if pid in own:
                continue  # created by this run: indexed already
            # other phones are stored in E.164 already (maybe with " ext. N"), separated by commas
            phone_keys = [phone_sanitized] if phone_sanitized else []
            phone_keys += [number.split(" ext")[0].strip() for number in (others or "").split(",") if number.strip()]
            index.add(pid, {"name": name, "email": email, "phone_keys": phone_keys, "inn": vat,
                            "city": city, "is_company": is_company, "company": company})

    def decide(self, result, norm, reject, policy):
        """The decision on one row under the duplicate ``policy``, written into ``result``.

        Returns what to write, in order: ``[(role, action, ref)]`` with role ``"org"`` (the row's
        organisation) or ``"person"``, action ``"create"`` (a card under the placeholder ``ref``),
        ``"update"`` (the card ``ref``, decided once the creations are done: it may be one this chunk
        creates) or ``"skip"``.
        """
        if reject:
            result.update(decision="rejected", warnings=[message for _code, message in reject] + result["warnings"],
                          reject_codes=[code for code, _message in reject])
            return []
        row_number = result["row_number"]
        actions = []
        org_ref = None
        if norm["company"]:
            org_keys = dedup.record_keys({
                "name": norm["company"], "inn": norm["inn_typed"] or norm["vat"], "city": norm["city"],
                "is_company": True, "email": "" if norm["name"] else norm["email"],
                "phone": "" if norm["name"] else norm["phone_key"],
                "phone_keys": () if norm["name"] else norm.get("phone_keys")})
            org_ref, org_reason = self.index.match(keys=org_keys)
            if org_ref is None or (not norm["name"] and policy == "create"):
                org_ref = placeholder(row_number, "org")
                self.index.add(org_ref, keys=org_keys)
                actions.append(("org", "create", org_ref))
                if not norm["name"]:
                    result.update(decision="created", partner_ref=org_ref)
                    return actions
            elif not norm["name"]:
                return [("org", *self._duplicate(result, org_ref, org_reason, policy))]
        person_keys = dedup.record_keys({
            "name": norm["name"], "email": norm["email"], "phone": norm["phone_key"], "city": norm["city"],
            "phone_keys": norm.get("phone_keys"), "company": norm["company"], "is_company": False})
        person_ref, reason = self.index.match(keys=person_keys)
        result["org_ref"] = org_ref
        if person_ref is None:
            new_ref = placeholder(row_number, "person")
            self.index.add(new_ref, keys=person_keys)
            result.update(decision="created", partner_ref=new_ref)
            actions.append(("person", "create", new_ref))
        else:
            actions.append(("person", *self._duplicate(result, person_ref, reason, policy)))
        return actions

    def _duplicate(self, result, ref, reason, policy):
        """The policy applied to a row matching ``ref`` (an existing or just-created card): (action, ref)."""
        result.update(duplicate_ref=ref, match_reason=reason)
        if policy == "create":
            new_ref = placeholder(result["row_number"], "dup")
            result.update(decision="created", partner_ref=new_ref)
            return "create", new_ref
        if policy in ("fill", "overwrite"):
            result.update(decision="skipped", partner_ref=None)  # "updated" once something is written
            return "update", ref
        result.update(decision="skipped")
        return "skip", ref

    def finish(self, results, dry_run=False):
        """The ids behind the refs of ``results`` once the chunk is written (none in a preview)."""
        for result in results:
            result["partner_id"] = self.resolve(result["partner_ref"]) if not dry_run else False
            duplicate = result["duplicate_ref"]
            result["duplicate_of_id"] = self.resolve(duplicate) if duplicate is not None else False
            result["duplicate_row"] = placeholder_row(duplicate) if is_placeholder(duplicate) else 0
