from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, html2plaintext

from ..tools import spreadsheet

# groups allowed to look up, export and anonymize a person's data
PRIVACY_GROUPS = ("sales_team.group_sale_manager", "crm_core.group_crm_data_operator", "base.group_system")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PrivacyLookupWizard(models.TransientModel):
    """Odoo's privacy lookup, extended with the CRM suite's own models.

    Odoo's lookup stays the one entry point: :meth:`_get_query` adds the records of every model that
    holds a person's data, as its ``_crm_privacy_lookup`` hook says (see ``crm_core/models/models.py``);
    the wizard exports them (xlsx) and anonymizes them through each model's ``_crm_privacy_anonymize``.
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

    def _crm_privacy_sheets(self, persons):
        """[(model, sheet)]: the :class:`~odoo.addons.crm_core.models.models.PrivacySheet` of every model
        holding the persons' data, as each model's ``_crm_privacy_lookup`` hook gives them."""
        emails = self._crm_privacy_emails(persons)
        sheets = []
        for model_name in self.env:
            Model = self.env[model_name]
            if Model._abstract or Model._transient:
                continue
            sheets += [(model_name, sheet) for sheet in Model._crm_privacy_lookup(persons, emails)]
        return sheets

    def _crm_privacy_found(self, persons, anonymizing=False):
        """[(sheet, records)] for every sheet of the persons. Messages are kept to the models holding
        personal data (the suite's documents: no discussion channel, no other application's chatter)."""
        sheets = self._crm_privacy_sheets(persons)
        message_models = {model_name for model_name, _sheet in sheets} - {"mail.message", "res.users"}
        return [(sheet, self._crm_privacy_records(model_name, sheet, message_models, anonymizing=anonymizing))
                for model_name, sheet in sheets]

    @api.model
    def _crm_privacy_company_domain(self, model):
        """The records of ``model`` in the requester's companies (or shared), as company rules would."""
        field = self.env[model]._fields.get("company_id")
        if not field or field.type != "many2one" or not field.store:
            return Domain.TRUE
        return Domain("company_id", "=", False) | Domain("company_id", "in", self.env.user.company_ids.ids)

    def _crm_privacy_records(self, model_name, sheet, message_models, anonymizing=False):
        # sudo: the caller passed _crm_privacy_check_access; a request about a person must see the records
        # about them whoever owns them; limited to that person's data (the sheet's domain), to the
        # requester's companies, and by _crm_privacy_visible to what is no colleague's private matter
        records = self.env[model_name].sudo().with_context(active_test=False).search(
            Domain(sheet.domain) & self._crm_privacy_company_domain(model_name))
        return self._crm_privacy_visible(records, message_models, anonymizing)

    def _crm_privacy_visible(self, records, message_models, anonymizing):
        """Messages a personal data request may read: on the suite's documents of the requester's
        companies, not internal notes (those are blanked by an anonymization, never shown). The other
        models' hooks leave out what the requester may not see (a colleague's private meeting)."""
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

    def _get_query(self):
        """Odoo's lookup query, with the records the suite's models hold about the person.

        Odoo's generic query reads every table in raw SQL, around access rights and record rules:
        administrators only. Sales managers and data operators get the suite's records alone.
        """
        self.ensure_one()
        self._crm_privacy_check_access()
        persons = self._crm_privacy_persons()
        if self._crm_privacy_is_admin():
            query = super()._get_query()
        elif not self.crm_partner_id and not self._crm_privacy_email():
            raise UserError(self.env._("Invalid email address %(email)s", email=self.email))
        else:
            query = SQL("SELECT NULL::int AS res_model_id, NULL::int AS res_id, NULL::bool AS is_active WHERE FALSE")
        rows = {}
        for _sheet, records in self._crm_privacy_found(persons) if persons else []:
            model_id = self.env["ir.model"]._get_id(records._name)
            has_active = "active" in records._fields
            rows.update(((model_id, record.id), record.active if has_active else True) for record in records)
        if not rows:
            return query
        # UNION: a record found by Odoo's query and by a model's hook is listed once
        return SQL("%s UNION SELECT * FROM (VALUES %s) AS crm_privacy(res_model_id, res_id, is_active)", query,
                   SQL(", ").join(SQL("(%s, %s, %s)", model_id, res_id, is_active)
                                  for (model_id, res_id), is_active in rows.items()))

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
        """The persons' data as xlsx bytes: one sheet per hook's sheet holding records, field labels as headers.

        Written like the import's rejected rows: what a customer typed (``=HYPERLINK(…)`` as a name)
        stays text, never a live formula in the operator's spreadsheet.
        """
        sheets, titles = [], set()
        for sheet, records in found:
            if not records:
                continue
            names = [name for name in sheet.fields if name in records._fields]
            title = ILLEGAL_CHARACTERS_RE.sub("", sheet.label).translate(str.maketrans("[]:*?/\\", "       "))
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
            f"{sheet.label} ({records._name}): {', '.join(f'#{record_id}' for record_id in records.ids)}"
            for sheet, records in found if records)
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
        internal = persons.with_context(active_test=False).user_ids.filtered(lambda user: not user.share)
        if internal:
            raise UserError(self.env._(
                "%(persons)s is a user of this database: archive the user and unlink the contact first.",
                persons=", ".join(internal.partner_id.mapped("name"))))

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
        self._crm_privacy_check_users(persons)
        # searched before anything changes: domains match the persons' current email
        found = self._crm_privacy_found(persons, anonymizing=True)
        log = self._crm_privacy_log(self.env._("Anonymized %(persons)s",
                                               persons=", ".join(f"#{pid}" for pid in persons.ids)), found)
        by_model = {}
        for _sheet, records in found:
            by_model[records._name] = by_model.get(records._name, records.browse()) | records
        emails = self._crm_privacy_emails(persons)
        for model_name, records in by_model.items():
            if not records:
                continue
            # records found with sudo (see _crm_privacy_records): each model blanks its own share
            field_names = records.with_context(mail_notrack=True, tracking_disable=True)._crm_privacy_anonymize(
                persons, emails)
            if field_names:
                self._crm_privacy_drop_tracking(model_name, records.ids, field_names)
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
