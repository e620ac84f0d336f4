from contextlib import contextmanager
from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import SQL, html2plaintext

from ..tools import dates, timeline
from ..tools import inn as inn_tools
from ..tools import phone as phone_tools
from .crm_partner_merge_record import merge_log
from .models import PrivacySheet

# the timeline pages by offset: deeper than this, every source would read all its records for one page
TIMELINE_MAX_OFFSET = 10000


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Customer 360: CRM tab, contact roles, consent, key figures, timeline
    # ------------------------------------------------------------------

    crm_lifecycle_stage = fields.Selection(
        [
            ("prospect", "Prospect"),
            ("customer", "Active Customer"),
            ("former", "Former Customer"),
            ("partner", "Partner"),
            ("competitor", "Competitor"),
        ],
        string="Lifecycle Stage", tracking=True,
        help="Where the organisation stands in its relationship with us; shared by its contacts.")
    crm_tier_id = fields.Many2one(
        "crm.customer.tier", string="Customer Tier", tracking=True, index="btree_not_null")
    crm_role_ids = fields.Many2many(
        "crm.contact.role", "crm_contact_role_res_partner_rel", "partner_id", "role_id",
        string="Contact Roles", help="What this person does for the customer: accountant, purchaser…")
    crm_preferred_channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("sms", "SMS"),
            ("messenger", "Messenger"),
            ("post", "Post"),
            ("visit", "Personal Visit"),
        ],
        string="Preferred Channel")
    crm_consent_email = fields.Boolean("Consent: Email", tracking=True)
    crm_consent_email_date = fields.Date("Email Consent Date")
    crm_consent_phone = fields.Boolean("Consent: Phone", tracking=True)
    crm_consent_phone_date = fields.Date("Phone Consent Date")
    crm_consent_sms = fields.Boolean("Consent: SMS", tracking=True)
    crm_consent_sms_date = fields.Date("SMS Consent Date")
    crm_consent_post = fields.Boolean("Consent: Post", tracking=True)
    crm_consent_post_date = fields.Date("Post Consent Date")
    crm_interaction_ids = fields.One2many("crm.interaction", "partner_id", string="Interactions")
    # Odoo 19 keeps one number per partner (``phone``; ``mobile`` is gone): the other numbers typed or
    # imported with it are kept here, normalized like ``phone`` (E.164, separated by ", ")
    crm_other_phones = fields.Char(
        "Other Phones", tracking=True,
        help="Further numbers of the contact, in international format, separated by commas.")

    # Key figures, counted on the commercial entity (a company sums its contacts)
    # and computed with a handful of grouped queries for the whole recordset.
    crm_currency_id = fields.Many2one("res.currency", compute="_compute_crm_key_figures")
    crm_open_deal_count = fields.Integer("Open Deals", compute="_compute_crm_key_figures")
    crm_open_deal_weighted = fields.Monetary(
        "Weighted Pipeline", compute="_compute_crm_key_figures", currency_field="crm_currency_id",
        help="Sum of expected revenue × probability of the open deals.")
    crm_won_revenue_year = fields.Monetary(
        "Won This Year", compute="_compute_crm_key_figures", currency_field="crm_currency_id")
    crm_quotation_count = fields.Integer("Open Quotations", compute="_compute_crm_key_figures")
    crm_quotation_amount = fields.Monetary(
        "Quoted Amount", compute="_compute_crm_key_figures", currency_field="crm_currency_id")
    crm_unpaid_invoice_count = fields.Integer("Unpaid Invoices", compute="_compute_crm_key_figures")
    crm_unpaid_amount = fields.Monetary(
        "Amount Due", compute="_compute_crm_key_figures", currency_field="crm_currency_id")
    crm_interaction_count = fields.Integer("Interaction Count", compute="_compute_crm_key_figures")
    crm_last_interaction_date = fields.Datetime("Last Interaction", compute="_compute_crm_key_figures")
    crm_next_interaction_date = fields.Datetime(
        "Next Meeting", compute="_compute_crm_key_figures",
        help="The next calendar event one of the customer's contacts attends.")

    _CRM_CONSENT_CHANNELS = ("email", "phone", "sms", "post")

    @api.model
    def _commercial_fields(self):
        # lifecycle and tier describe the organisation: its contacts follow it
        return super()._commercial_fields() + ["crm_lifecycle_stage", "crm_tier_id"]

    def unlink(self):
        # an undoable merge (crm.partner.merge.record) archives the merged cards instead of deleting them
        log = merge_log(self.env)
        to_archive = self.filtered(lambda partner: partner.id in log.archive_ids) if log else self.browse()
        if to_archive:
            log.archive_ids.difference_update(to_archive.ids)
            to_archive.sudo().action_archive()  # Odoo's merge deletes them with sudo: archiving is less
        return super(ResPartner, self - to_archive).unlink()

    @api.model
    def _crm_consent_dates(self, vals):
        """Date each consent given now, clear it when withdrawn (unless given explicitly)."""
        vals = dict(vals)
        today = fields.Date.context_today(self)
        for channel in self._CRM_CONSENT_CHANNELS:
            flag, date_field = f"crm_consent_{channel}", f"crm_consent_{channel}_date"
            if flag in vals and date_field not in vals:
                vals[date_field] = today if vals[flag] else False
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = self._crm_personal_data_create_vals(vals_list)  # personal data section below
        # creating is allowed to everyone with the right: Odoo's own follow-up writes during
        # create (address sync with the parent company) must not be refused as personal data edits;
        # the partners being created are marked on the cursor, where no client can reach
        with self.browse()._crm_personal_data_cleared():
            return super().create([self._crm_phone_vals(self._crm_consent_dates(vals)) for vals in vals_list])

    def write(self, vals):
        if (len(self) > 1 and vals.get("phone") and "crm_other_phones" not in vals
                and not self.env.context.get("crm_phone_normalized")
                and len(phone_tools.split_numbers(vals["phone"])) > 1
                and len(set(self.mapped("crm_other_phones"))) > 1):
            # several numbers in ``phone`` join each partner's own other phones: one write per partner
            for partner in self:
                partner.write(vals)
            return True
        self._crm_check_personal_data_write(vals)  # personal data section below
        notes_changed = self._crm_notes_changed(vals)
        # allowed: the address sync that follows may change these partners' personal data too
        with self._crm_personal_data_cleared():
            result = super().write(self._crm_phone_vals(self._crm_consent_dates(vals)))
        notes_changed._crm_log_notes_changed()
        return result

    # the shape of every source's rows in the one statement of the key figures
    _CRM_KEY_FIGURE_COLUMNS = {
        "won_status": "varchar", "currency": "int4", "count": "int8", "amount": "numeric", "amount2": "numeric",
        "date": "timestamp",
    }

    def _crm_key_figure_select(self, source, query, partner, members, **columns):
        """The rows of ``query`` (one source's records, the user's record rules applied by ``_search``)
        whose ``partner`` (an SQL column) is one of ``members`` (a query of partners), grouped by their
        commercial entity and the given ``won_status``/``currency`` columns, as
        (source, commercial, won_status, currency, count, amount, amount2, date).

        The commercial entity comes from a plain join on the partner's primary key: the record rules
        of res.partner already decided which partners ``members`` holds."""
        partner_alias = query.make_alias(query.table, "crm_key_figures")
        query.add_join("JOIN", partner_alias, "res_partner",
                       SQL("%s = %s", SQL.identifier(partner_alias, "id"), partner))
        commercial = SQL.identifier(partner_alias, "commercial_partner_id",
                                    to_flush=self._fields["commercial_partner_id"])
        query.add_where(SQL("%s IN %s", partner, members.subselect()))
        groups = [commercial] + [columns[name] for name in ("won_status", "currency") if name in columns]
        query.groupby = SQL(", ").join(groups)
        terms = [SQL("%s", source), commercial]
        terms += [SQL("(%s)::%s", columns[name], SQL(sql_type)) if name in columns else SQL("NULL::%s", SQL(sql_type))
                  for name, sql_type in self._CRM_KEY_FIGURE_COLUMNS.items()]
        return SQL("(%s)", query.select(*terms))

    def _crm_key_figure_selects(self, members, now, year_start):
        """{source: SQL} of the sources the user may read (see :meth:`_crm_key_figure_select`)."""
        selects = {}
        sources = {
            "deal": ("crm.lead", [("type", "=", "opportunity"),
                                  "|", ("won_status", "=", "pending"),
                                  "&", ("won_status", "=", "won"), ("date_closed", ">=", year_start)],
                     "partner_id", {"won_status": "won_status", "amount": "prorated_revenue:sum",
                                    "amount2": "expected_revenue:sum"}),
            "quotation": ("sale.order", [("state", "in", ("draft", "sent"))],
                          "partner_id", {"currency": "currency_id", "amount": "amount_total:sum"}),
            "invoice": ("account.move", [("state", "=", "posted"), ("move_type", "in", ("out_invoice", "out_refund")),
                                         ("payment_state", "in", ("not_paid", "partial"))],
                        "commercial_partner_id", {"amount": "amount_residual_signed:sum"}),
            "interaction": ("crm.interaction", [("date", "<=", now)], "partner_id", {"date": "date:max"}),
            "event": ("calendar.event", [("start", ">=", now)], "partner_ids", {"date": "start:min"}),
        }
        for source, (model, domain, partner_field, specs) in sources.items():
            Model = self.env[model]
            if not Model.has_access("read"):
                continue
            query = Model._search(domain)
            if query.is_empty():
                continue
            field = Model._fields[partner_field]
            if field.type == "many2many":
                relation = query.make_alias(Model._table, "crm_key_figures_attendee")
                query.add_join("JOIN", relation, SQL.identifier(field.relation), SQL(
                    "%s = %s", SQL.identifier(relation, field.column1), SQL.identifier(Model._table, "id")))
                partner = SQL.identifier(relation, field.column2, to_flush=field)
            else:
                partner = Model._field_to_sql(Model._table, partner_field, query)
            columns = {name: (Model._read_group_select(spec, query) if ":" in spec
                              else Model._read_group_groupby(Model._table, spec, query))
                       for name, spec in specs.items()}
            columns["count"] = SQL("COUNT(*)")
            selects[source] = self._crm_key_figure_select(source, query, partner, members, **columns)
        return selects

    @api.depends_context("uid", "allowed_company_ids", "tz")
    def _compute_crm_key_figures(self):
        """Every source in one statement (a UNION ALL of grouped queries): the partner form is read
        under load, where each round trip to the database waits for a core."""
        commercials = self.commercial_partner_id
        figures = {
            partner.id: dict.fromkeys((
                "crm_open_deal_count", "crm_open_deal_weighted", "crm_won_revenue_year",
                "crm_quotation_count", "crm_quotation_amount", "crm_unpaid_invoice_count",
                "crm_unpaid_amount", "crm_interaction_count"), 0)
            | {"crm_last_interaction_date": False, "crm_next_interaction_date": False}
            for partner in commercials
        }
        now = fields.Datetime.now()
        company, today = self.env.company, fields.Date.context_today(self)
        # 1 January at midnight in the user's time zone, as the UTC instant date_closed is stored in
        year_start = dates.utc_start_of_day(today.replace(month=1, day=1), self.env.tz.zone)
        # every partner of these commercial entities, archived contacts included (as a
        # ``partner_id.commercial_partner_id`` condition would find them), that the user may read
        members = self.env["res.partner"].with_context(active_test=False)._search(
            [("commercial_partner_id", "in", commercials.ids)])
        selects = self._crm_key_figure_selects(members, now, year_start) if commercials else {}
        rows = self.env.execute_query(SQL(" UNION ALL ").join(selects.values())) if selects else []
        currencies = self.env["res.currency"]
        for source, commercial, won_status, currency, count, amount, amount2, date in rows:
            slot = figures[commercial]
            if source == "deal" and won_status == "pending":
                slot.update(crm_open_deal_count=count, crm_open_deal_weighted=amount or 0.0)
            elif source == "deal":
                slot["crm_won_revenue_year"] = amount2 or 0.0
            elif source == "quotation":
                # quotations may be in the customer's currency: show them in the company's
                if currency and currency != company.currency_id.id:
                    amount = currencies.browse(currency)._convert(amount or 0.0, company.currency_id, company, today)
                slot["crm_quotation_count"] += count
                slot["crm_quotation_amount"] += amount or 0.0
            elif source == "invoice":
                slot.update(crm_unpaid_invoice_count=count, crm_unpaid_amount=amount or 0.0)
            elif source == "interaction":
                slot.update(crm_interaction_count=count, crm_last_interaction_date=date)
            elif date:
                slot["crm_next_interaction_date"] = date

        for partner in self:
            partner.update(figures[partner.commercial_partner_id.id])
            partner.crm_currency_id = company.currency_id

    # -- smart buttons ----------------------------------------------------

    def _crm_commercial_domain(self, path="partner_id"):
        return [(f"{path}.commercial_partner_id", "=", self.commercial_partner_id.id)]

    @api.readonly
    def action_crm_view_open_deals(self):
        self.ensure_one()
        self.env["crm.lead"].check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("crm.crm_lead_opportunities")
        action["domain"] = self._crm_commercial_domain() + [("won_status", "=", "pending")]
        action["context"] = {"default_partner_id": self.id, "default_type": "opportunity"}
        return action

    @api.readonly
    def action_crm_view_quotations(self):
        self.ensure_one()
        self.env["sale.order"].check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("sale.action_quotations")
        action["domain"] = self._crm_commercial_domain() + [("state", "in", ("draft", "sent"))]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.readonly
    def action_crm_view_unpaid_invoices(self):
        self.ensure_one()
        self.env["account.move"].check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id), ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")), ("payment_state", "in", ("not_paid", "partial")),
        ]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    @api.readonly
    def action_crm_view_interactions(self):
        self.ensure_one()
        self.env["crm.interaction"].check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("crm_core.action_crm_interaction")
        action["domain"] = self._crm_commercial_domain()
        action["context"] = {"default_partner_id": self.commercial_partner_id.id,
                             "default_contact_id": self.id if self.parent_id else False}
        return action

    def action_crm_log_interaction(self):
        """One-click logging: the quick-status wizard for this customer."""
        self.ensure_one()
        self.env["crm.interaction"].check_access("create")
        return self.env["crm.interaction.log.wizard"]._action_open({
            "default_partner_id": self.commercial_partner_id.id,
            "default_contact_id": self.id if self != self.commercial_partner_id else False,
        })

    def action_crm_open_timeline(self):
        """The full timeline: the client action of crm_partner_timeline (paging, type filter)."""
        self.ensure_one()
        self.check_access("read")
        # the timeline is made of CRM records: reserved to those who may read them (an employee
        # without a sales or service role is refused here, not by an error inside the page)
        self.env["crm.interaction"].check_access("read")
        return {
            "type": "ir.actions.client",
            "tag": "crm_core.partner_timeline",
            "name": self.env._("Timeline of %(partner)s", partner=self.display_name),
            "params": {"partner_id": self.id},
            # kept in the URL (/odoo/<id>/action-…): a reload shows the same customer
            "context": {"active_id": self.id},
        }

    # -- timeline (extension point: other addons add sources) -------------

    def _crm_timeline_sources(self):
        """{key: label}; extending addons add keys with super()."""
        return {
            "interaction": self.env._("Interactions"),
            "event": self.env._("Meetings"),
            "message": self.env._("Emails & Notes"),
            "deal": self.env._("Deals"),
            # ERP integration section below
            "sale_order": self.env._("Quotations & Orders"),
            "invoice": self.env._("Invoices"),
        }

    def _crm_timeline_partners(self):
        """The partners and every contact of their commercial entities."""
        return self.with_context(active_test=False).search(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)], order="id")

    def _crm_timeline_entries(self, key, limit):
        """Dispatch to self._crm_timeline_entries_<key>(limit) for the partner(s) self and all their contacts
        (commercial entity hierarchy). Each returns a list of dicts:
        {"date": datetime, "type": key, "name": str, "description": str, "res_model": str, "res_id": int,
        "user_id": int or False}"""
        if key not in self._crm_timeline_sources():
            raise UserError(self.env._("Unknown timeline source: %(key)s", key=key))
        return getattr(self._crm_timeline_partners(), f"_crm_timeline_entries_{key}")(limit)

    @api.readonly
    def crm_timeline_get(self, types=None, offset=0, limit=20):
        """Merge sources (each fetched with limit=offset+limit), newest first; returns
        {"entries": [...], "has_more": bool, "labels": {type: label}}"""
        # public over RPC (the timeline component pages with it): refuse odd paging
        if not (isinstance(offset, int) and isinstance(limit, int)
                and 0 <= offset <= TIMELINE_MAX_OFFSET and 0 < limit <= 200) \
                or not (types is None or (isinstance(types, list) and all(isinstance(t, str) for t in types))):
            raise UserError(self.env._("Invalid timeline page request."))
        keys = [key for key in self._crm_timeline_sources() if not types or key in types]
        # the organisation's partners searched once for every source; one entry more than the page
        # tells whether a next page exists
        partners = self._crm_timeline_partners()
        per_source = [getattr(partners, f"_crm_timeline_entries_{key}")(offset + limit + 1) for key in keys]
        entries, has_more = timeline.merge_entries(per_source, offset, limit)
        return {"entries": entries, "has_more": has_more, "labels": self._crm_timeline_sources()}

    def _crm_timeline_entries_interaction(self, limit):
        interactions = self.env["crm.interaction"].search(
            ["|", ("partner_id", "in", self.ids), ("contact_id", "in", self.ids)], limit=limit)
        return [interaction._crm_timeline_entry() for interaction in interactions]

    def _crm_timeline_entries_event(self, limit):
        events = self.env["calendar.event"].search([("partner_ids", "in", self.ids)], order="start desc", limit=limit)
        return [{
            "date": event.start,
            "type": "event",
            "name": event.name,
            "description": ", ".join(event.partner_ids.mapped("name")),
            "res_model": "calendar.event",
            "res_id": event.id,
            "user_id": event.user_id.id,
        } for event in events]

    def _crm_timeline_entries_message(self, limit):
        # the deals the user may read, as a subquery of the messages' search (no round trip of its own)
        leads = self.env["crm.lead"].with_context(active_test=False)._search([("partner_id", "in", self.ids)])
        messages = self.env["mail.message"].search([
            ("message_type", "in", ("email", "comment", "email_outgoing")),
            "|", "&", ("model", "=", "res.partner"), ("res_id", "in", self.ids),
            "&", ("model", "=", "crm.lead"), ("res_id", "in", leads),
        ], order="date desc, id desc", limit=limit)
        return [{
            "date": message.date,
            "type": "message",
            "name": message.subject or message.record_name or message.message_type,
            "description": html2plaintext(message.body or "")[:300],
            "res_model": message.model,
            "res_id": message.res_id,
            "user_id": message.author_id.user_ids[:1].id,
        } for message in messages]

    def _crm_timeline_entries_deal(self, limit):
        """Deals created, won and lost (a won or lost deal gives two entries)."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        created = Lead.search([("partner_id", "in", self.ids)], order="create_date desc, id desc", limit=limit)
        closed = Lead.search([("partner_id", "in", self.ids), ("won_status", "in", ("won", "lost")),
                              ("date_closed", "!=", False)], order="date_closed desc, id desc", limit=limit)
        entries = [{
            "date": lead.create_date,
            "type": "deal",
            "name": self.env._("Deal created: %(deal)s", deal=lead.name),
            "description": lead.stage_id.name or "",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "user_id": lead.user_id.id,
        } for lead in created]
        entries += [{
            "date": lead.date_closed,
            "type": "deal",
            "name": (self.env._("Deal won: %(deal)s", deal=lead.name) if lead.won_status == "won"
                     else self.env._("Deal lost: %(deal)s", deal=lead.name)),
            "description": lead.lost_reason_id.name or "",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "user_id": lead.user_id.id,
        } for lead in closed]
        entries.sort(key=lambda entry: entry["date"], reverse=True)
        return entries[:limit]

    # ------------------------------------------------------------------
    # Phone normalization of partners entered by hand (customer import)
    # ------------------------------------------------------------------

    # INN lives in Odoo's standard ``vat`` (the tax identification number of
    # the partner, as base_vat's check_vat_ru expects); KPP has no field in Odoo.
    crm_kpp = fields.Char(
        "KPP", size=9, help="Russian tax registration reason code (9 characters) of the organisation or branch.")

    @api.constrains("crm_kpp")
    def _check_crm_kpp(self):
        for partner in self:
            error = partner.crm_kpp and inn_tools.kpp_error(partner.crm_kpp)
            if error:
                raise ValidationError(self.env._("KPP %(kpp)s of %(partner)s: %(error)s",
                                                 kpp=partner.crm_kpp, partner=partner.display_name,
                                                 error=self._crm_identifier_error_text(error)))

    @api.model
    def _crm_identifier_error_text(self, error):
        """The user's-language text of a reason from ``tools/inn.py`` (the tool has no Odoo)."""
        texts = {
            inn_tools.INN_NOT_DIGITS: self.env._("INN must contain digits only"),
            inn_tools.INN_BAD_CHECKSUM: self.env._("INN checksum does not match"),
            inn_tools.INN_BAD_LENGTH: self.env._(
                "INN must have 10 digits (organisation) or 12 digits (person, sole trader)"),
            inn_tools.KPP_BAD_LENGTH: self.env._("KPP must have 9 characters"),
            inn_tools.KPP_BAD_FORMAT: self.env._("KPP must be 4 digits, 2 digits or letters, then 3 digits"),
        }
        return texts.get(error, error)

    @api.model
    def _crm_normalize_phone(self, number, country):
        """Phone typed by hand → E.164 through phone_validation's ``_phone_format``.

        An extension is kept (``+79123456789 ext. 123``); a number without area
        code, or one no region makes valid, is kept as typed.
        """
        result = phone_tools.normalize_phone(number, country.code or "RU")
        if result.status in (phone_tools.STATUS_EMPTY, phone_tools.STATUS_NO_AREA_CODE):
            return number
        main, extension = phone_tools.split_extension(str(number))
        formatted = self._phone_format(number=main, country=country or False, force_format="E164")
        if not formatted:
            return result.value  # valid in a neighbouring region (a Ukrainian 044 … typed in Russia), or as typed
        return f"{formatted} ext. {extension}" if extension else formatted

    @api.model
    def _crm_normalize_phones(self, text, country, city=""):
        """Every number typed in ``text`` normalized (see :meth:`_crm_normalize_phone`), in order.

        A number typed without area code takes the city's only one (``phone.normalize_phones``).
        """
        values = []
        for result in phone_tools.normalize_phones(text, country.code or "RU", city=city or ""):
            value = result.value if result.inferred_area_code else self._crm_normalize_phone(result.raw, country)
            if value and value not in values:
                values.append(value)
        return values

    def _crm_phone_vals(self, vals):
        """Normalize the phones of create/write values, with the partner's (or the company's) country.

        Several numbers typed in ``phone``: the first stays there, the others go first in
        ``crm_other_phones`` (before the numbers it holds already, see :meth:`write`).
        """
        if self.env.context.get("crm_phone_normalized") or not (
                vals.get("phone") or vals.get("crm_other_phones")):
            return vals
        if vals.get("country_id"):
            country = self.env["res.country"].browse(vals["country_id"])
        else:
            country = self[:1].country_id or self.env.company.country_id
        city = vals["city"] if "city" in vals else self[:1].city
        vals = dict(vals)
        others = []
        if vals.get("phone"):
            phones = self._crm_normalize_phones(vals["phone"], country, city)
            vals["phone"] = phones[0] if phones else vals["phone"]
            others = phones[1:]
        if others and "crm_other_phones" not in vals:
            vals["crm_other_phones"] = self[:1].crm_other_phones
        if others or vals.get("crm_other_phones"):
            known = [*others, *self._crm_normalize_phones(vals.get("crm_other_phones") or "", country, city)]
            # the main number is not repeated among the others (known only for one partner or a new phone)
            main = vals["phone"] if "phone" in vals else (self.phone if len(self) == 1 else False)
            vals["crm_other_phones"] = ", ".join(value for value in dict.fromkeys(known) if value != main) or False
        return vals

    # ------------------------------------------------------------------
    # ERP integration: orders, deliveries and invoices on the timeline
    # ------------------------------------------------------------------

    def _crm_timeline_entries_sale_order(self, limit):
        orders = self.env["sale.order"].search(
            [("partner_id", "in", self.ids)], order="date_order desc, id desc", limit=limit)
        states = dict(self.env["sale.order"]._fields["state"]._description_selection(self.env))
        return [{
            "date": order.date_order,
            "type": "sale_order",
            "name": self.env._("%(state)s %(order)s", state=states.get(order.state, order.state), order=order.name),
            "description": order.currency_id.format(order.amount_total),
            "res_model": "sale.order",
            "res_id": order.id,
            "user_id": order.user_id.id,
        } for order in orders]

    def _crm_timeline_entries_invoice(self, limit):
        invoices = self.env["account.move"].search([
            ("partner_id", "in", self.ids),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
        ], order="invoice_date desc, id desc", limit=limit)
        payment_states = dict(self.env["account.move"]._fields["payment_state"]._description_selection(self.env))
        return [{
            "date": datetime.combine(invoice.invoice_date, time.min) if invoice.invoice_date else invoice.create_date,
            "type": "invoice",
            "name": invoice.name,
            "description": self.env._(
                "%(amount)s, %(payment_state)s",
                amount=invoice.currency_id.format(invoice.amount_total_signed if invoice.move_type == "out_refund"
                                                  else invoice.amount_total),
                payment_state=payment_states.get(invoice.payment_state, invoice.payment_state),
            ),
            "res_model": "account.move",
            "res_id": invoice.id,
            "user_id": invoice.invoice_user_id.id,
        } for invoice in invoices]


    # ------------------------------------------------------------------
    # Personal data: who may change it, and every change in the chatter
    # ------------------------------------------------------------------

    _CRM_PERSONAL_DATA_SALESPERSON_PARAM = "crm_core.personal_data_salesperson_edit"
    # ``name`` is personal only for persons (is_company = False); addresses are
    # tracked by Odoo's own ``contact_address_inline``, name/email/phone by mail.
    _CRM_PERSONAL_DATA_FIELDS = (
        "name", "phone", "crm_other_phones", "email", "street", "street2", "zip", "city", "state_id", "country_id",
        "comment", "function",
    )
    # who may change them: changing these is refused to those who may not change the personal data
    # (they decide who may; the company and the address type also bring the company's address)
    _CRM_PERSONAL_DATA_CONTROL_FIELDS = ("parent_id", "user_id", "commercial_partner_id", "type")
    _CRM_PERSONAL_DATA_OFFICER_GROUPS = (
        "crm_core.group_crm_data_operator",
        "sales_team.group_sale_manager",
        "base.group_erp_manager",
    )
    # cursor cache key: ids of the partners whose personal data the running operation may change
    # (being created, or written by a user allowed to); the cursor is out of any client's reach
    _CRM_PERSONAL_DATA_CLEARED = "crm_core.personal_data_cleared"

    function = fields.Char(tracking=True)
    crm_can_edit_personal_data = fields.Boolean(
        "Can Edit Personal Data", compute="_compute_crm_can_edit_personal_data",
        help="Whether the current user may change this contact's personal data.")

    @api.model
    def _crm_is_personal_data_officer(self):
        """Data operators, sales managers and administrators edit anyone's personal data."""
        user = self.env.user
        return any(user.has_group(group) for group in self._CRM_PERSONAL_DATA_OFFICER_GROUPS)

    @api.model
    def _crm_personal_data_salesperson_allowed(self):
        return self.env["res.config.settings"]._crm_get_setting("crm_personal_data_salesperson_edit")

    def _crm_personal_data_guarded(self):
        """False when no check applies: superuser, non-internal users (portal /my/account,
        signup, the mail gateway run with sudo) and personal data officers."""
        return not (self.env.su or not self.env.user._is_internal() or self._crm_is_personal_data_officer())

    @contextmanager
    def _crm_personal_data_cleared(self):
        """Within the block, Odoo's own follow-up writes (address sync) may change the personal data
        of ``self`` and of the partners created meanwhile (see ``_create``). Server-side state on the
        cursor, never the context: a client chooses the context of its calls."""
        cache = self.env.cr.cache
        outermost = self._CRM_PERSONAL_DATA_CLEARED not in cache
        cleared = cache.setdefault(self._CRM_PERSONAL_DATA_CLEARED, set())
        added = set(self.ids) - cleared
        cleared |= added
        try:
            yield
        finally:
            if outermost:
                cache.pop(self._CRM_PERSONAL_DATA_CLEARED, None)
            else:
                cleared -= added

    def _crm_personal_data_uncleared(self):
        """The partners of ``self`` the personal data rule applies to now."""
        cleared = self.env.cr.cache.get(self._CRM_PERSONAL_DATA_CLEARED, ())
        return self.filtered(lambda partner: partner.id not in cleared)

    def _create(self, data_list):
        records = super()._create(data_list)
        # partners being created: Odoo's sync during create writes their address (create() opens the block)
        cleared = self.env.cr.cache.get(self._CRM_PERSONAL_DATA_CLEARED)
        if cleared is not None:
            cleared.update(records.ids)
        return records

    def _load_records_create(self, vals_list):
        # import (load): the sync of the new partners runs after their create, keep them cleared until done
        with self.browse()._crm_personal_data_cleared():
            return super()._load_records_create(vals_list)

    def _update_address(self, vals):
        # Odoo's address sync (a new parent or address type, a company's address to its contacts, a first
        # contact's address to its parent) writes below ``write``: the same rule applies here
        self._crm_personal_data_uncleared()._crm_check_personal_data_write(
            {name: vals[name] for name in self._address_fields() if name in vals})
        return super()._update_address(vals)

    def _crm_may_edit_personal_data(self, salesperson_allowed):
        self.ensure_one()
        user = self.env.user
        if self == user.partner_id:
            return True
        return salesperson_allowed and user in (self.user_id | self.commercial_partner_id.user_id)

    @api.depends_context("uid")
    @api.depends("user_id", "commercial_partner_id.user_id")
    def _compute_crm_can_edit_personal_data(self):
        if not self._crm_personal_data_guarded():
            self.crm_can_edit_personal_data = True
            return
        salesperson_allowed = self._crm_personal_data_salesperson_allowed()
        for partner in self:
            # decided on the saved partner (the form's onchange works on a copy): as write decides
            origin = partner._origin
            partner.crm_can_edit_personal_data = (
                not origin.id or origin._crm_may_edit_personal_data(salesperson_allowed))

    def _crm_personal_data_changes(self, vals):
        """The personal fields (and the fields deciding who may change them) ``vals`` really changes
        on this partner."""
        self.ensure_one()
        # a name is no personal data only for a company that stays one
        is_company = self.is_company and vals.get("is_company", True)
        changed = set()
        for name in self._CRM_PERSONAL_DATA_FIELDS + self._CRM_PERSONAL_DATA_CONTROL_FIELDS:
            if name not in vals or (name == "name" and is_company):
                continue
            field = self._fields[name]
            if field.type == "many2one":
                old, new = self[name].id, vals[name] or False
                new = new.id if isinstance(new, models.BaseModel) else new
            else:
                old, new = str(self[name] or ""), str(vals[name] or "")
            if old != new:
                changed.add(name)
        return changed

    def _crm_check_personal_data_write(self, vals):
        checked = set(self._CRM_PERSONAL_DATA_FIELDS + self._CRM_PERSONAL_DATA_CONTROL_FIELDS)
        if not set(vals) & checked or not self._crm_personal_data_guarded():
            return
        salesperson_allowed = self._crm_personal_data_salesperson_allowed()
        refused, refused_fields = self.browse(), set()
        for partner in self._crm_personal_data_uncleared():
            changed = partner._crm_personal_data_changes(vals)
            if changed and not partner._crm_may_edit_personal_data(salesperson_allowed):
                refused |= partner
                refused_fields |= changed
        if not refused:
            return
        labels = ", ".join(sorted(self._fields[name]._description_string(self.env) for name in refused_fields))
        partners = ", ".join(refused.mapped("display_name"))
        if refused_fields & set(self._CRM_PERSONAL_DATA_CONTROL_FIELDS):
            raise AccessError(self.env._(
                "You may not change %(fields)s of %(partners)s: they decide who may change the contact's "
                "personal data and bring in the company's address. Ask a data operator or the customer's "
                "salesperson.", fields=labels, partners=partners))
        raise AccessError(self.env._(
            "You may not change the personal data (%(fields)s) of %(partners)s. "
            "Ask a data operator or the customer's salesperson.", fields=labels, partners=partners))

    def _crm_check_personal_data_merge(self):
        """Merging changes the destination and deletes the others: all must be the user's to change."""
        if not self._crm_personal_data_guarded():
            return
        salesperson_allowed = self._crm_personal_data_salesperson_allowed()
        refused = self.filtered(lambda partner: not partner._crm_may_edit_personal_data(salesperson_allowed))
        if refused:
            raise AccessError(self.env._(
                "You may not merge %(partners)s: you may not change their personal data. "
                "Ask a data operator or the customer's salesperson.",
                partners=", ".join(refused.mapped("display_name"))))

    def _crm_personal_data_create_vals(self, vals_list):
        """A salesperson creating a customer becomes its salesperson (contacts follow their company)."""
        user = self.env.user
        if (self.env.su or not user._is_internal() or not user.has_group("sales_team.group_sale_salesman")
                or user.has_group("base.group_erp_manager")):
            return vals_list
        return [vals if vals.get("user_id") or vals.get("parent_id") else dict(vals, user_id=user.id)
                for vals in vals_list]

    def _crm_notes_changed(self, vals):
        if "comment" not in vals:
            return self.browse()
        return self.filtered(lambda partner: str(partner.comment or "") != str(vals["comment"] or ""))

    def _crm_log_notes_changed(self):
        for partner in self:
            # html fields cannot be tracked: log that the notes changed, without their text
            partner._message_log(body=self.env._("Notes about the contact were changed."))

    # ------------------------------------------------------------------
    # Personal data requests (privacy.lookup.wizard, see models.py)
    # ------------------------------------------------------------------

    @api.model
    def _crm_privacy_personal_fields(self):
        """A person's own data on their card, the one list: what salespersons may not change
        (``_CRM_PERSONAL_DATA_FIELDS``) and what only the person's request concerns; exported, and
        emptied when the person is anonymized (see :meth:`_crm_privacy_neutral_values`). Addons adding
        personal fields to contacts extend it."""
        return [
            *self._CRM_PERSONAL_DATA_FIELDS, "vat", "website", "ref", "image_1920", "crm_preferred_channel",
            "crm_role_ids", "crm_consent_email", "crm_consent_email_date", "crm_consent_phone",
            "crm_consent_phone_date", "crm_consent_sms", "crm_consent_sms_date", "crm_consent_post",
            "crm_consent_post_date",
        ]

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        sheets = super()._crm_privacy_lookup(persons, emails)
        # the photo stays out of a spreadsheet; the card's place in the suite is exported, and kept
        personal = [name for name in self._crm_privacy_personal_fields() if self._fields[name].type != "binary"]
        context = ["type", "parent_id", "lang", "crm_lifecycle_stage", "crm_tier_id"]
        sheets.append(PrivacySheet(self.env._("Contacts"), Domain("id", "in", persons.ids), personal + context))
        return sheets

    def _crm_privacy_neutral_values(self):
        """The values replacing this person's own data: empty, and a name saying it was anonymized."""
        self.ensure_one()
        values = {
            name: [Command.clear()] if self._fields[name].type in ("one2many", "many2many") else False
            for name in self._crm_privacy_personal_fields()
        }
        values["name"] = self.env._("Anonymized contact #%(id)s", id=self.id)
        if self.commercial_partner_id != self:
            del values["vat"]  # a contact of a company shares the company's tax id: not theirs
        return values

    def _crm_privacy_anonymize(self, persons, emails):
        changed = set(super()._crm_privacy_anonymize(persons, emails))
        for person in self & persons:
            values = person._crm_privacy_neutral_values()
            person.write(values)
            changed.update(values)
        return sorted(changed)
