from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command, Domain
from odoo.tools import html2plaintext
from odoo.tools.mail import email_split_and_format

from ..tools import spreadsheet

# groups allowed to look up, export and anonymize a person's data
PRIVACY_GROUPS = ("sales_team.group_sale_manager", "crm_core.group_crm_data_operator", "base.group_system")
# birthday-like fields other addons may add to res.partner
BIRTHDAY_FIELDS = ("birthday", "birthdate", "date_of_birth")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# message types holding what people wrote (not system notifications)
WRITTEN_MESSAGE_TYPES = ("email", "comment", "email_outgoing")


class PrivacyLookupWizard(models.TransientModel):
    """Odoo's privacy lookup, extended with the CRM suite's own models.

    Each addon contributes the models where it keeps a person's data by
    extending :meth:`_crm_privacy_sources` (``super()`` then append); the
    wizard finds, exports (xlsx) and anonymizes them the same way.
    """

    _inherit = "privacy.lookup.wizard"

    crm_partner_id = fields.Many2one(
        "res.partner", string="Person",
        help="The contact whose data is looked up; if empty, the persons with this email address.")
    crm_anonymized = fields.Boolean("Anonymized", readonly=True)

    # -- rights -----------------------------------------------------------

    @api.model
    def _crm_privacy_check_access(self):
        if not any(self.env.user.has_group(group) for group in PRIVACY_GROUPS):
            raise AccessError(self.env._(
                "Only sales managers, data operators and administrators may process personal data requests."))

    @api.model
    def _crm_privacy_is_admin(self):
        """Administrators handle every request, their colleagues' (internal users') data included."""
        return self.env.user.has_group("base.group_system")

    @api.model
    def _crm_privacy_internal_partners(self, partners):
        """The partners of internal users among ``partners``: colleagues' data, for administrators only."""
        # sudo: reads only which partners belong to internal users, archived users included
        users = self.env["res.users"].sudo().with_context(active_test=False).search(
            [("partner_id", "in", partners.ids), ("share", "=", False)])
        internal_ids = set(users.partner_id.ids)
        return partners.filtered(lambda partner: partner.id in internal_ids)

    @api.model
    def _crm_privacy_internal_emails(self, emails):
        """The normalized addresses among ``emails`` that are internal users' own."""
        # sudo: reads only which addresses belong to internal users, archived users included
        users = self.env["res.users"].sudo().with_context(active_test=False).search(
            [("partner_id.email_normalized", "in", list(emails)), ("share", "=", False)])
        return set(users.partner_id.mapped("email_normalized"))

    @api.model_create_multi
    def create(self, vals_list):
        self._crm_privacy_check_access()
        return super().create(vals_list)

    @api.onchange("crm_partner_id")
    def _onchange_crm_partner_id(self):
        if self.crm_partner_id:
            self.name = self.crm_partner_id.name
            self.email = self.crm_partner_id.email or self.email

    # -- who and where ----------------------------------------------------

    def _crm_privacy_email(self):
        """The typed address, normalized (False if it is not an address)."""
        return tools.email_normalize((self.email or "").strip()) or False

    def _crm_privacy_check_partner(self):
        """The chosen contact must be readable by the user (record rules, companies) and the typed
        address must be one of theirs: the request and its privacy log name that address."""
        partner = self.crm_partner_id
        if not partner:
            return
        partner.check_access("read")
        if not self._crm_privacy_is_admin() and self._crm_privacy_internal_partners(partner):
            raise AccessError(self.env._(
                "%(name)s is a user of this database: their personal data requests are handled by administrators.",
                name=partner.display_name))
        # records are matched on the contact's own addresses (_crm_privacy_emails), never the typed one;
        # a typed address of someone else is refused so that the request and its log stay truthful
        if partner.email_normalized and partner.email_normalized not in tools.email_normalize_all(self.email or ""):
            raise UserError(self.env._(
                "The email address %(email)s is not the address of %(name)s (%(partner_email)s): "
                "choose the contact or the address of the same person.",
                email=self.email, name=partner.display_name, partner_email=partner.email))

    def _crm_privacy_persons(self):
        """The person(s) concerned: the chosen contact, or the persons using the email address,
        with their own addresses (child contacts). Companies are never persons."""
        self.ensure_one()
        self._crm_privacy_check_partner()
        # no sudo: the user's record rules (companies) decide which persons they may handle
        Partner = self.env["res.partner"].with_context(active_test=False)
        if self.crm_partner_id:
            partners = self.crm_partner_id.with_context(active_test=False)
        else:
            email = self._crm_privacy_email()
            partners = Partner.search([("email_normalized", "=", email)]) if email else Partner
        persons = partners.filtered(lambda partner: not partner.is_company)
        if not persons:
            return Partner
        persons = Partner.search([("id", "child_of", persons.ids), ("is_company", "=", False)])
        if not self._crm_privacy_is_admin():
            persons -= self._crm_privacy_internal_partners(persons)
        return persons

    def _crm_privacy_emails(self, persons):
        """The normalized addresses whose records are the persons' data: the persons' own addresses,
        plus the typed one when no contact was chosen (the typed one is checked against the contact)."""
        emails = set(filter(None, persons.mapped("email_normalized")))
        if not self.crm_partner_id and self._crm_privacy_email():
            emails.add(self._crm_privacy_email())
        if emails and not self._crm_privacy_is_admin():
            # a customer card with a colleague's address must not open the colleague's mail
            emails -= self._crm_privacy_internal_emails(emails)
        return sorted(emails)

    def _crm_privacy_email_records(self, model, field_name, emails, address_list=False):
        """Records of ``model`` whose ``field_name`` holds one of ``emails`` (normalized addresses):
        the bare address or ``"Name" <address>`` (or, with ``address_list``, one address of a list
        such as a Cc field) — never a longer address containing it (``marianna.x@`` for ``anna.x@``)."""
        # sudo: the caller passed _crm_privacy_check_access; only records holding the persons'
        # own addresses are kept (filtered below)
        Model = self.env[model].sudo().with_context(active_test=False)
        if not emails:
            return Model
        domains = []
        for email in emails:
            # escaped: "_" and "%" of an address are no wildcards
            pattern = tools.escape_psql(email)
            if address_list:
                domains.append(Domain(field_name, "ilike", pattern))
            else:
                domains += [Domain(field_name, "=ilike", pattern), Domain(field_name, "=ilike", f"%<{pattern}>")]
        emails = set(emails)
        return Model.search(Domain.OR(domains)).filtered(
            lambda record: emails.intersection(tools.email_normalize_all(record[field_name] or "")))

    @api.model
    def _crm_privacy_remove_addresses(self, records, field_name, emails):
        """Remove ``emails`` from an address list field (e.g. Cc), keeping the other addresses.
        Usable as a source's ``anonymize`` callable."""
        emails = set(emails)
        for record in records:
            kept = [address for address in email_split_and_format(record[field_name] or "")
                    if tools.email_normalize(address) not in emails]
            record[field_name] = ", ".join(kept) or False
        return [field_name]

    def _crm_privacy_sources(self, persons):
        """Where the suite keeps the persons' data: a list of dicts

        - ``key``: technical name; ``label``: sheet name of the export;
        - ``model``, ``domain``: the records (searched with sudo, archived ones included);
        - ``fields``: the fields exported (their labels are the sheet headers);
        - ``anonymize``: values written on the records by the anonymization, or ``None`` to keep them
          (orders and invoices must stay valid), or a callable ``anonymize(records)`` that changes the
          records itself and returns the names of the fields it changed.

        Addresses are matched on the persons' own addresses (:meth:`_crm_privacy_emails`), in text
        fields through :meth:`_crm_privacy_email_records` (exact address, no substring).

        Addons extend this with ``super()`` and append their own sources.
        """
        env, ids, emails = self.env, persons.ids, self._crm_privacy_emails(persons)
        partner_fields = [
            "name", "type", "parent_id", "function", "email", "phone", "crm_other_phones", "street", "street2",
            "zip", "city",
            "state_id", "country_id", "vat", "website", "lang", "comment", "crm_lifecycle_stage", "crm_tier_id",
            "crm_role_ids", "crm_preferred_channel", "crm_consent_email", "crm_consent_email_date",
            "crm_consent_phone", "crm_consent_phone_date", "crm_consent_sms", "crm_consent_sms_date",
            "crm_consent_post", "crm_consent_post_date",
        ] + [name for name in BIRTHDAY_FIELDS if name in env["res.partner"]._fields]
        message_domain = Domain("author_id", "in", ids) | (
            Domain("model", "=", "res.partner") & Domain("res_id", "in", ids)
            & Domain("message_type", "in", WRITTEN_MESSAGE_TYPES))
        lead_domain = Domain("partner_id", "in", ids)
        row_domain = Domain("partner_id", "in", ids) | Domain("duplicate_of_id", "in", ids)
        if emails:
            messages = self._crm_privacy_email_records("mail.message", "email_from", emails)
            message_domain |= Domain("id", "in", messages.ids)
            lead_domain |= Domain("email_normalized", "in", emails)
            rows = self._crm_privacy_email_records("crm.import.job.row", "email", emails)
            row_domain |= Domain("id", "in", rows.ids)
        return [{
            "key": "contact",
            "label": env._("Contacts"),
            "model": "res.partner",
            "domain": Domain("id", "in", ids),
            "fields": partner_fields,
            "anonymize": None,  # per person, see _crm_privacy_person_values
        }, {
            "key": "user",
            "label": env._("Users"),
            "model": "res.users",
            "domain": Domain("partner_id", "in", ids),
            "fields": ["name", "login", "active", "share", "login_date"],
            "anonymize": None,  # portal users are archived, their login neutralized (action_crm_anonymize)
        }, {
            "key": "interaction",
            "label": env._("Interactions"),
            "model": "crm.interaction",
            "domain": Domain("partner_id", "in", ids) | Domain("contact_id", "in", ids),
            "fields": ["name", "date", "interaction_type", "direction", "partner_id", "contact_id", "user_id",
                       "result"],
            # meetings and visits must keep a result: a neutral one
            "anonymize": {"result": env._("Anonymized")},
        }, {
            "key": "lead",
            "label": env._("Leads and Deals"),
            "model": "crm.lead",
            "domain": lead_domain,
            "fields": ["name", "type", "partner_id", "partner_name", "contact_name", "email_from", "phone",
                       "street", "street2", "zip", "city", "description", "stage_id", "user_id"],
            "anonymize": {"contact_name": False, "email_from": False, "phone": False, "street": False,
                          "street2": False, "zip": False, "city": False, "description": False},
        }, {
            "key": "import_row",
            "label": env._("Import Rows"),
            "model": "crm.import.job.row",
            "domain": row_domain,
            "fields": ["job_id", "row_number", "name", "company_name", "phone", "email", "inn", "values_json",
                       "normalized_json", "decision", "reason"],
            "anonymize": {"values_json": False, "normalized_json": False, "name": False, "company_name": False,
                          "phone": False, "email": False, "inn": False, "reason": False},
        }, {
            "key": "event",
            "label": env._("Meetings"),
            "model": "calendar.event",
            "domain": Domain("partner_ids", "in", ids),
            "fields": ["name", "start", "stop", "location", "user_id", "description"],
            "anonymize": None,  # other attendees' calendars: the person's address is anonymized instead
        }, {
            "key": "message",
            "label": env._("Messages"),
            "model": "mail.message",
            "domain": message_domain,
            "fields": ["date", "model", "res_id", "message_type", "author_id", "email_from", "subject", "body"],
            "anonymize": {"body": "", "subject": False, "email_from": False},
        }, {
            "key": "sale_order",
            "label": env._("Sales Orders"),
            "model": "sale.order",
            "domain": Domain("partner_id", "in", ids) | Domain("partner_invoice_id", "in", ids)
            | Domain("partner_shipping_id", "in", ids),
            "fields": ["name", "date_order", "state", "partner_id", "amount_total", "currency_id"],
            "anonymize": None,  # kept as they are: legal documents
        }, {
            "key": "invoice",
            "label": env._("Invoices"),
            "model": "account.move",
            "domain": Domain("partner_id", "in", ids) & Domain("move_type", "!=", "entry"),
            "fields": ["name", "move_type", "invoice_date", "state", "partner_id", "amount_total", "currency_id",
                       "payment_state"],
            "anonymize": None,  # kept as they are: legal documents, possibly hashed
        }]

    def _crm_privacy_found(self, persons, anonymizing=False):
        """[(source, records)] for every source of the persons. Messages are kept to the sources' models
        (the suite's documents: no discussion channel, no other application's chatter)."""
        sources = self._crm_privacy_sources(persons)
        message_models = {source["model"] for source in sources} - {"mail.message", "res.users"}
        return [(source, self._crm_privacy_records(source, message_models, anonymizing=anonymizing))
                for source in sources]

    @api.model
    def _crm_privacy_company_domain(self, model):
        """The records of ``model`` in the requester's companies (or shared), as company rules would."""
        field = self.env[model]._fields.get("company_id")
        if not field or field.type != "many2one" or not field.store:
            return Domain.TRUE
        return Domain("company_id", "=", False) | Domain("company_id", "in", self.env.user.company_ids.ids)

    def _crm_privacy_records(self, source, message_models, anonymizing=False):
        # sudo: the caller passed _crm_privacy_check_access; a request about a person must see the records
        # about them whoever owns them; limited to that person's data (the domain), to the requester's
        # companies, and by _crm_privacy_visible to what is no colleague's private matter
        records = self.env[source["model"]].sudo().with_context(active_test=False).search(
            Domain(source["domain"]) & self._crm_privacy_company_domain(source["model"]))
        return self._crm_privacy_visible(records, message_models, anonymizing)

    def _crm_privacy_visible(self, records, message_models, anonymizing):
        """Records a personal data request may read: no colleague's private meetings; users' data of
        customers only (colleagues': administrators); messages on the suite's documents of the requester's
        companies, not internal notes (those are blanked by an anonymization, never shown)."""
        if records._name == "calendar.event":
            # the requester's own eyes: a private event they neither organize nor attend stays private
            return records.filtered(lambda event: not event.with_env(self.env)._check_private_event_conditions())
        if records._name == "res.users" and not self._crm_privacy_is_admin():
            return records.filtered("share")
        if records._name != "mail.message":
            return records
        records = records.filtered(lambda message: message.model in message_models and message.res_id)
        if not anonymizing:
            records = records.filtered(lambda message: not (message.is_internal or message.subtype_id.internal))
        documents = set()
        for model in set(records.mapped("model")):
            res_ids = list(set(records.filtered(lambda message, model=model: message.model == model).mapped("res_id")))
            # sudo: only which of the messages' documents are in the requester's companies
            documents.update((model, res_id) for res_id in self.env[model].sudo().with_context(active_test=False)
                             .search(Domain("id", "in", res_ids) & self._crm_privacy_company_domain(model)).ids)
        return records.filtered(lambda message: (message.model, message.res_id) in documents)

    # -- lookup -----------------------------------------------------------

    def action_lookup(self):
        """The suite's sources of the person; for administrators, also Odoo's generic lookup."""
        self.ensure_one()
        self._crm_privacy_check_access()
        persons = self._crm_privacy_persons()
        if self.env.user.has_group("base.group_system"):
            action = super().action_lookup()
        else:
            # Odoo's generic lookup queries every table in raw SQL, around access rights and record
            # rules: administrators only. Sales managers and data operators get the suite's sources.
            if not self.crm_partner_id and not self._crm_privacy_email():
                raise UserError(self.env._("Invalid email address %(email)s", email=self.email))
            self.line_ids = [Command.clear()]
            action = self.action_open_lines()
        if not persons:
            return action
        found = {(line.res_model, line.res_id) for line in self.line_ids}
        new_lines = []
        for source, records in self._crm_privacy_found(persons):
            model_id = self.env["ir.model"]._get_id(source["model"])
            has_active = "active" in records._fields
            new_lines += [
                Command.create({
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "is_active": record.active if has_active else True,
                })
                for record in records if (source["model"], record.id) not in found
            ]
            found.update((source["model"], record_id) for record_id in records.ids)
        if new_lines:
            self.line_ids = new_lines
        return action

    # -- export -----------------------------------------------------------

    @api.model
    def _crm_privacy_cell(self, record, name):
        field, value = record._fields[name], record[name]
        if field.type == "many2one":
            return value.display_name or ""
        if field.type in ("many2many", "one2many"):
            return ", ".join(value.mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value or "")
        if field.type == "html":
            value = html2plaintext(value or "")
        if field.type == "boolean":
            return bool(value)
        if value is False or value is None:
            return ""
        if isinstance(value, str):
            return ILLEGAL_CHARACTERS_RE.sub("", value)
        return value

    def _crm_privacy_workbook(self, found):
        """The persons' data as xlsx bytes: one sheet per source holding records, field labels as headers.

        Written like the import's rejected rows: what a customer typed (``=HYPERLINK(…)`` as a name)
        stays text, never a live formula in the operator's spreadsheet.
        """
        sheets, titles = [], set()
        for source, records in found:
            if not records:
                continue
            names = [name for name in source["fields"] if name in records._fields]
            title = ILLEGAL_CHARACTERS_RE.sub("", source["label"]).translate(str.maketrans("[]:*?/\\", "       "))
            title = title[:31]
            while title in titles:
                title = f"{title[:28]}_{len(titles)}"
            titles.add(title)
            rows = [[records._fields[name]._description_string(self.env) for name in names]]
            rows += [[self._crm_privacy_cell(record, name) for name in names] for record in records]
            sheets.append((title, rows))
        return spreadsheet.write_xlsx_sheets(sheets)

    def _crm_privacy_log(self, details, found):
        """A privacy.log entry of the action (each export or anonymization gets its own)."""
        description = "\n".join(
            f"{source['label']} ({source['model']}): {', '.join(f'#{record_id}' for record_id in records.ids)}"
            for source, records in found if records)
        return self.env["privacy.log"].create({
            "anonymized_name": self.name,
            "anonymized_email": self.email,
            "execution_details": details,
            "records_description": description,
        })

    def _crm_privacy_export(self):
        """(file name, xlsx bytes) of the persons' data; logged (without the file) in privacy.log.
        Nothing is stored: the file is streamed by the controller ``/crm_core/privacy/export/<id>``."""
        self.ensure_one()
        self._crm_privacy_check_access()
        persons = self._crm_privacy_persons()
        if not persons:
            raise UserError(self.env._("No person found for %(name)s (companies are not exported as persons).",
                                       name=self.name))
        found = self._crm_privacy_found(persons)
        content = self._crm_privacy_workbook(found)
        self._crm_privacy_log(self.env._("Exported the personal data of %(persons)s",
                                         persons=", ".join(f"#{pid}" for pid in persons.ids)), found)
        return f"personal_data_{persons[:1].id}.xlsx", content

    def action_crm_export_xlsx(self):
        self.ensure_one()
        self._crm_privacy_check_access()
        if not self._crm_privacy_persons():
            raise UserError(self.env._("No person found for %(name)s (companies are not exported as persons).",
                                       name=self.name))
        # the download is a POST with the CSRF token (it writes the privacy log): see privacy_export_action.js
        return {
            "type": "ir.actions.client",
            "tag": "crm_core_privacy_export",
            "params": {"wizard_id": self.id},
        }

    # -- anonymization ----------------------------------------------------

    @api.model
    def _crm_privacy_person_values(self, person):
        """Neutral values replacing a person's own data (extend with super() for new partner fields)."""
        values = {
            "name": self.env._("Anonymized contact #%(id)s", id=person.id),
            "email": False, "phone": False, "crm_other_phones": False, "street": False, "street2": False,
            "zip": False, "city": False, "state_id": False, "function": False, "website": False, "comment": False,
            "ref": False,
            "image_1920": False, "crm_preferred_channel": False, "crm_role_ids": [Command.clear()],
            "crm_consent_email": False, "crm_consent_email_date": False,
            "crm_consent_phone": False, "crm_consent_phone_date": False,
            "crm_consent_sms": False, "crm_consent_sms_date": False,
            "crm_consent_post": False, "crm_consent_post_date": False,
        }
        if person.commercial_partner_id == person:
            values["vat"] = False  # a contact of a company shares the company's tax id: not theirs
        values.update({name: False for name in BIRTHDAY_FIELDS if name in person._fields})
        return values

    @api.model
    def _crm_privacy_drop_tracking(self, model, ids, field_names):
        """Tracked old values would keep what was just blanked."""
        # sudo: tracking values are only readable through their documents; these belong to the records
        # being anonymized by an authorized user
        self.env["mail.tracking.value"].sudo().search([
            ("mail_message_id.model", "=", model),
            ("mail_message_id.res_id", "in", ids),
            ("field_id.name", "in", list(field_names)),
        ]).unlink()

    def _crm_privacy_check_users(self, persons):
        users = persons.with_context(active_test=False).user_ids
        internal = users.filtered(lambda user: not user.share)
        if internal:
            raise UserError(self.env._(
                "%(persons)s is a user of this database: archive the user and unlink the contact first.",
                persons=", ".join(internal.partner_id.mapped("name"))))
        return users

    def action_crm_anonymize(self):
        """Replace the persons' data by neutral values everywhere in the suite; orders and invoices keep
        their partner (now anonymized), amounts, states and hashes: nothing is written on them."""
        self.ensure_one()
        self._crm_privacy_check_access()
        self._crm_privacy_check_partner()
        if self.crm_partner_id.is_company:
            raise UserError(self.env._(
                "%(name)s is a company: companies are not anonymized as persons; anonymize its contacts instead.",
                name=self.crm_partner_id.display_name))
        persons = self._crm_privacy_persons()
        if not persons:
            raise UserError(self.env._("No person found for %(name)s.", name=self.name))
        portal_users = self._crm_privacy_check_users(persons)
        # searched before anything changes: domains match the persons' current email
        found = self._crm_privacy_found(persons, anonymizing=True)
        log = self._crm_privacy_log(self.env._("Anonymized %(persons)s",
                                               persons=", ".join(f"#{pid}" for pid in persons.ids)), found)
        for source, records in found:
            anonymize = source["anonymize"]
            if not records or not anonymize:
                continue
            records = records.with_context(mail_notrack=True, tracking_disable=True)
            if callable(anonymize):
                field_names = anonymize(records)
            else:
                records.write(anonymize)
                field_names = list(anonymize)
            self._crm_privacy_drop_tracking(source["model"], records.ids, field_names)
            if source["model"] == "mail.message":
                # the files sent with the blanked messages are the person's data too
                records.attachment_ids.unlink()
        person_fields = set()
        for person in persons:
            values = self._crm_privacy_person_values(person)
            # sudo: the user may read the persons (checked in _crm_privacy_persons); consents, tags
            # and photo are written like every other source of the request
            person.sudo().with_context(mail_notrack=True, tracking_disable=True).write(values)
            person_fields.update(values)
        self._crm_privacy_drop_tracking("res.partner", persons.ids, person_fields)
        if portal_users:
            # sudo: portal logins are the person's email; the users are archived, not deleted
            portal_users.sudo().write({"active": False})
            for user in portal_users:
                user.sudo().login = f"anonymized-{user.id}"
        self.crm_anonymized = True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s contact(s) anonymized; see the privacy log #%(log)s.",
                                      count=len(persons), log=log.id),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class PrivacyLookupWizardLine(models.TransientModel):
    _inherit = "privacy.lookup.wizard.line"

    def _crm_privacy_check_admin(self):
        # Odoo's archive and delete act with sudo on any found record: kept to administrators
        # now that sales managers and data operators may open the lookup
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only administrators may archive or delete records from the privacy lookup."))

    def action_unlink(self):
        self._crm_privacy_check_admin()
        return super().action_unlink()

    def action_unlink_all(self):
        self._crm_privacy_check_admin()
        return super().action_unlink_all()

    def action_archive_all(self):
        self._crm_privacy_check_admin()
        return super().action_archive_all()

    @api.onchange("is_active")
    def _onchange_is_active(self):
        self._crm_privacy_check_admin()
        return super()._onchange_is_active()

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        # Odoo names the found record with sudo: kept for administrators (their lookup reads every table);
        # the others see the name of a record only if they may read it (lines are theirs to create)
        if self.env.user.has_group("base.group_system"):
            return super()._compute_res_name()
        for line in self:
            if not line.res_id or not line.res_model or line.res_model not in self.env:
                continue
            # stored computes run with sudo: the requester's own rights decide
            record = self.env[line.res_model].sudo(False).browse(line.res_id)
            if not record.exists():
                continue
            readable = record.has_access("read") and record.display_name
            line.res_name = readable or f"{line.res_model_id.name}/{line.res_id}"
