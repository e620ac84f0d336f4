import logging

from psycopg2 import errors

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..tools import import_rows

_logger = logging.getLogger(__name__)

# context of partner writes made by the import: no chatter noise, phones already normalized
IMPORT_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "crm_phone_normalized": True,
}
# fields of res.partner the policies "fill empty fields" and "overwrite" may write
UPDATABLE_FIELDS = ("email", "phone", "crm_other_phones", "function", "city", "street", "zip", "country_id",
                    "website", "comment", "vat", "crm_kpp")
# contacts linked to an organisation by one run before PostgreSQL's statistics of res_partner.parent_id are
# refreshed for the first time (then each time the run has linked twice as many): see _refresh_parent_statistics
PARENT_STATISTICS_FIRST = 2000
# read-only computed fields of res.partner the import fills itself (see _create_synced)
PRECOMPUTED_BY_IMPORT = ("phone_sanitized", "image_1024", "image_512", "image_256", "image_128")


class CrmImportPartnerWriter(models.AbstractModel):
    """Writes the cards of a customer import: the only code that knows res.partner's internals.

    Creating thousands of cards fast means doing at once what ``res.partner.create`` does card by card:
    the commercial fields and address of the organisation are put in the contacts' values (what
    ``_fields_sync`` would write after the create, skipped with ``_partners_skip_fields_sync`` as Odoo's
    own ``_load_records_create`` does), the read-only computed fields the import already knows are taken
    off the to-compute list (``env.remove_to_compute``), and the defaults are computed once per batch and
    given as ``default_*`` context keys. ``tests/test_customer_import_odoo_internals.py`` fails if Odoo
    changes any of these.
    """

    _name = "crm.import.partner.writer"
    _description = "Customer Import: Partner Writer"
    _abstract = True  # spelled out for tests/test_layout.py: no table, hence no access rights

    @api.model
    def _partner_env(self):
        return self.env["res.partner"].with_context(**IMPORT_CONTEXT)

    @api.model
    def _run_settings(self):
        """What the cards of a run share: ``lang`` (the language new cards get anyway; given up front,
        ``create`` does not write it card by card) and ``phone_only`` (``phone`` is the only number field,
        ``phone_sanitized`` comes from it)."""
        Partner = self.env["res.partner"]
        return {
            "lang": Partner.default_get(["lang"]).get("lang") or self.env.lang or "en_US",
            "phone_only": Partner._phone_get_number_fields() == ["phone"],
        }

    @api.model
    def _add_phone_sanitized(self, phone_only, vals, norm):
        """The E.164 form phone_validation would compute, given up front (it is what the import just
        computed): the phone is not parsed a second time per card. Numbers kept as typed are left to
        phone_validation."""
        if norm and vals.get("phone") and vals["phone"] == norm["phone"] and norm.get("phone_other"):
            vals["crm_other_phones"] = ", ".join(norm["phone_other"])  # the cell's other numbers, normalized
        if not phone_only:
            return
        if not vals.get("phone"):
            vals["phone_sanitized"] = False
        elif norm and norm["phone_key"] and vals["phone"] == norm["phone"] and norm["phone"].startswith(
                norm["phone_key"]):
            # the first number is the trusted one (phone_key is the first trusted number of the cell)
            vals["phone_sanitized"] = norm["phone_key"]

    @api.model
    def _create_partners(self, run, creations, job_label=""):
        """Create the cards of ``creations`` (``[(result, ref, vals)]``); ``run.ref_ids`` gets their ids.

        One ``create`` per batch; if it fails, row by row so a bad row never sinks the good ones (its
        result is then rejected, with the reason).
        """
        if not creations:
            return
        Partner = self._partner_env()
        Partner.check_access("create")
        # sudo: the user's right to create contacts is checked just above and the values come only from the
        # import's own fields; the sync from the organisations reads their commercial fields (e.g. the credit
        # limit) that a data operator may not read. uid stays the user's.
        Partner = Partner.sudo()
        vals_list = [vals for _result, _ref, vals in creations]
        first_contacts = self._sync_from_parents(Partner, vals_list)
        defaults = self._creation_defaults(Partner)
        try:
            with self.env.cr.savepoint():
                partners = self._create_synced(Partner, vals_list, first_contacts, defaults)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # not the rows' fault: the whole chunk is taken again in a fresh transaction
        except Exception:
            _logger.info("Customer import %s: batch create failed, retrying row by row", job_label)
            partners = None
        if partners is not None:
            for (_result, ref, _vals), partner in zip(creations, partners, strict=True):
                run.ref_ids[ref] = partner.id
            return
        for index, (result, ref, vals) in enumerate(creations):
            try:
                with self.env.cr.savepoint():
                    first = {0} if index in first_contacts else set()
                    run.ref_ids[ref] = self._create_synced(Partner, [vals], first, defaults).id
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:
                result.update(decision="rejected", partner_ref=None)
                result["warnings"].insert(0, self.env._("Could not be created: %(error)s", error=str(error)))

    @api.model
    def _link_people(self, run, people):
        """The organisation of each person to create (``[(result, ref, vals)]``, its ``org_ref`` in the
        result), once the organisations are created; a new organisation's people get the language
        ``_compute_lang`` would copy from it."""
        self._refresh_parent_statistics(run)
        for result, _ref, vals in people:
            if result.get("org_ref") is not None:
                vals["parent_id"] = run.resolve(result["org_ref"])
                run.people_linked += 1
                if import_rows.is_placeholder(result["org_ref"]):
                    vals["lang"] = run.lang

    @api.model
    def _refresh_parent_statistics(self, run):
        """Refresh PostgreSQL's statistics of ``res_partner.parent_id`` once the run has linked
        ``PARENT_STATISTICS_FIRST`` contacts to organisations, then each time it has linked twice as many.

        Odoo checks every created contact for a cycle of parents (``_check_parent_id``, a recursive query
        over ``parent_id``). Planned with statistics from before the import (a table of cards without
        parents: "no row has a parent"), that query compares every linked contact with every contact of
        the batch, and a 100,000-row import slowed down chunk after chunk (2.9 s per batch at the end).
        ``ANALYZE`` sees the rows this transaction inserted; its statistics are rolled back with it.
        Another session analyzing the table meanwhile (autovacuum, another import) is not waited for.
        """
        if run.next_parent_analyze is None:
            run.next_parent_analyze = PARENT_STATISTICS_FIRST
        if run.people_linked < run.next_parent_analyze:
            return
        run.next_parent_analyze = 2 * run.people_linked
        self.env["res.partner"].flush_model(["parent_id"])
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("LOCK TABLE res_partner IN SHARE UPDATE EXCLUSIVE MODE NOWAIT"),
                                    log_exceptions=False)
                self.env.cr.execute(SQL("ANALYZE res_partner (parent_id)"))
        except errors.LockNotAvailable:
            _logger.info("Customer import: res_partner is being analyzed by another session, not waiting")

    @api.model
    def _creation_defaults(self, Partner):
        """res.partner's defaults, computed once for a batch of cards as ``create`` would ask them card by
        card (``default_get``): given back as ``default_*`` context keys, which ``default_get`` reads first."""
        return {f"default_{name}": value for name, value in Partner.default_get(list(Partner._fields)).items()}

    @api.model
    def _sync_from_parents(self, Partner, vals_list):
        """Give contacts of an organisation its commercial fields and address in their create values.

        This is what ``res.partner._load_records_create`` (Odoo's own import) writes after
        the create, one ``write`` per organisation; put in the values, the contacts are
        created right at once. Returns the indexes of the contacts whose organisation has
        no address (Odoo then takes the first contact's address for the organisation).
        """
        # the resized copies of the photo follow the photo: none given, none to compute card by card
        resized = [name for name in PRECOMPUTED_BY_IMPORT if name.startswith("image_")
                   and getattr(Partner._fields.get(name), "related", None) == "image_1920"]
        for vals in vals_list:
            if not vals.get("image_1920"):
                vals.update(dict.fromkeys(resized, False))
        if "default_user_id" not in self.env.context:
            # the salesperson res.partner computes before the create (a contact takes its organisation's)
            for vals in vals_list:
                vals.setdefault("user_id", False)
        parent_ids = {vals["parent_id"] for vals in vals_list if vals.get("parent_id")}
        if not parent_ids:
            return set()
        commercial_fields = Partner._commercial_fields()
        address_fields = Partner._address_fields()
        synced = {}
        for parent in Partner.browse(parent_ids):
            address = {fname: value for fname, value in parent._convert_fields_to_values(address_fields).items()
                       if value}
            values = parent.commercial_partner_id._convert_fields_to_values(commercial_fields)
            synced[parent.id] = (values | address, bool(address), parent.user_id.id)
        first_contacts = set()
        for index, vals in enumerate(vals_list):
            if not vals.get("parent_id"):
                continue
            values, has_address, user_id = synced[vals["parent_id"]]
            if not vals.get("user_id") and not vals.get("is_company"):
                vals["user_id"] = user_id
            if vals.get("type", "contact") == "contact":
                vals.update(values)
            else:
                vals.update({fname: value for fname, value in values.items() if fname in commercial_fields})
            if not has_address and any(vals.get(fname) for fname in address_fields):
                first_contacts.add(index)
        return first_contacts

    @api.model
    def _create_synced(self, Partner, vals_list, first_contacts, defaults):
        """``create`` of values already synced from their organisations (see :meth:`_sync_from_parents`),
        with the batch's ``defaults`` (see :meth:`_creation_defaults`)."""
        Synced = Partner.with_context(_partners_skip_fields_sync=True)
        # the defaults only for the create itself: the cards go on without them in their context
        partners = Synced.browse(Synced.with_context(**defaults).create(vals_list).ids)
        # Read-only computed fields whose value the import gave (the E.164 phone it computed, no photo
        # hence no resized copies) are not computed again card by card after the create.
        for fname in {fname for vals in vals_list for fname in vals if fname in PRECOMPUTED_BY_IMPORT}:
            given = partners.browse([partner.id for partner, vals in zip(partners, vals_list, strict=True)
                                     if fname in vals])
            self.env.remove_to_compute(Partner._fields[fname], given)
        for index in sorted(first_contacts):
            partners[index]._handle_first_contact_creation()
        if any(field.type == "properties" for field in Partner._fields.values()):
            partners._clean_properties()
        return partners

    @api.model
    def _apply_updates(self, run, updates, overwrite=False, dry_run=False):
        """Policies "fill" (``overwrite`` False) and "overwrite" on the matched cards (``[(result, ref,
        vals)]``), read once per batch; a preview (``dry_run``) decides without writing."""
        if not updates:
            return
        Partner = self._partner_env()
        partners = Partner.browse({run.resolve(ref) for _result, ref, _vals in updates} - {False})
        current = {
            record["id"]: record for record in partners.read([*UPDATABLE_FIELDS, "parent_id", "category_id"],
                                                              load=False)
        }
        for result, ref, vals in updates:
            partner_id = run.resolve(ref)
            result["partner_ref"] = ref
            if not partner_id or partner_id not in current:
                continue
            record = current[partner_id]
            changes = {}
            for fname in UPDATABLE_FIELDS:
                value = vals.get(fname)
                if value and (overwrite or not record[fname]) and record[fname] != value:
                    changes[fname] = value
            if result.get("org_ref") is not None and not record["parent_id"]:
                changes["parent_id"] = run.resolve(result["org_ref"])
            tags = vals.get("category_id") and vals["category_id"][0][2]
            if tags and set(tags) - set(record["category_id"]):
                changes["category_id"] = [fields.Command.link(tag) for tag in set(tags) - set(record["category_id"])]
            if not changes:
                result["warnings"].append(self.env._("Nothing new to write"))
                continue
            if dry_run:
                result["decision"] = "updated"
                continue
            try:
                with self.env.cr.savepoint():
                    Partner.browse(partner_id).write(changes)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise  # not the row's fault: the whole chunk is taken again in a fresh transaction
            except Exception as error:
                result.update(decision="rejected", partner_ref=None)
                result["warnings"].insert(0, self.env._("Could not be updated: %(error)s", error=str(error)))
                continue
            record.update({key: value for key, value in changes.items() if key in UPDATABLE_FIELDS})
            result["decision"] = "updated"
