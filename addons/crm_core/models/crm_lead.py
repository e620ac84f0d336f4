from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.service.model import retrying
from odoo.tools import SQL, split_every

from .models import PrivacySheet


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------------
    # Customer 360: interactions logged on the deal, one-click statuses
    # ------------------------------------------------------------------

    crm_interaction_ids = fields.One2many("crm.interaction", "lead_id", string="Interaction")
    crm_interaction_count = fields.Integer("Interaction Count", compute="_compute_crm_interaction_count")

    def _compute_crm_interaction_count(self):
        counts = dict(self.env["crm.interaction"]._read_group(
            [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]))
        for lead in self:
            lead.crm_interaction_count = counts.get(lead, 0)

    def action_crm_log_interaction(self):
        """One-click logging from the deal: the quick-status wizard, deal and contact filled in."""
        self.ensure_one()
        self.check_access("read")
        contact = self.partner_id if self.partner_id != self.partner_id.commercial_partner_id else False
        return self.env["crm.interaction.log.wizard"]._action_open({
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "default_contact_id": contact and contact.id,
        })

    @api.readonly
    def action_crm_view_interactions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.actions"]._for_xml_id("crm_core.action_crm_interaction")
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
        }
        return action

    # ------------------------------------------------------------------
    # Pipeline rules: required fields per stage, rotting deals
    # ------------------------------------------------------------------

    # Required fields per stage are checked by a constraint (it runs after
    # create and after any write of stage_id/type, with the written values);
    # rotting deals are Odoo's (mail.tracking.duration.mixin, the stage's
    # "Days to rot"), where any touch restarts the clock, not only a stage change.

    @api.constrains("stage_id", "type")
    def _check_required_stage_fields(self):
        problems = []
        for lead in self:
            if lead.type != "opportunity":
                continue
            missing = lead._get_missing_stage_fields()
            if missing:
                problems.append(self.env._(
                    "- %(deal)s (stage %(stage)s): %(fields)s",
                    deal=lead.name,
                    stage=lead.stage_id.name,
                    fields=", ".join(missing.mapped("field_description")),
                ))
        if problems:
            raise ValidationError(self.env._(
                "These deals lack data their stage requires; fill it in before moving them:\n%(problems)s",
                problems="\n".join(problems),
            ))

    def _get_missing_stage_fields(self):
        """Required fields (ir.model.fields) of the deal's stage that are empty on the deal."""
        self.ensure_one()
        # sudo: field metadata (names and labels) only; ir.model.fields is not readable by salespeople
        return self.stage_id.sudo().crm_required_field_ids.filtered(
            lambda field: field.name in self._fields and not self[field.name])

    def _rotting_touch_sql(self, alias):
        """SQL expression: the last touch of the deal row ``alias``.

        Latest of the last stage change (or creation), the last note, email or
        finished activity in its chatter, and the last interaction logged on it.
        """
        lead = SQL.identifier(alias)
        return SQL(
            """GREATEST(
                COALESCE(%(lead)s.date_last_stage_update, %(lead)s.create_date),
                (SELECT MAX(msg.date) FROM mail_message msg
                  WHERE msg.model = 'crm.lead' AND msg.res_id = %(lead)s.id
                    AND (msg.message_type IN ('comment', 'email') OR msg.mail_activity_type_id IS NOT NULL)),
                (SELECT MAX(inter.date) FROM crm_interaction inter WHERE inter.lead_id = %(lead)s.id)
            )""",
            lead=lead,
        )

    def _flush_rotting_touch_sources(self):
        self.env["crm.lead"].flush_model(["date_last_stage_update", "stage_id"])
        self.env["crm.stage"].flush_model(["rotting_threshold_days"])
        self.env["mail.message"].flush_model(["model", "res_id", "date", "message_type", "mail_activity_type_id"])
        self.env["crm.interaction"].flush_model(["lead_id", "date"])

    def _get_rotting_depends_fields(self):
        # a logged interaction is a touch; chatter touches are read in SQL at compute time
        return super()._get_rotting_depends_fields() + ["crm_interaction_ids.date"]

    def _compute_rotting(self):
        """Odoo counts the rot from the last stage change; a touch (note, email, finished activity,
        logged interaction) restarts the clock as well. The mixin takes its reference date from
        ``date_last_stage_update`` with no hook to change it, so the deals it finds rotting are
        checked again against their last touch, which is never earlier."""
        super()._compute_rotting()
        rotting = self.filtered(lambda lead: lead.is_rotting and lead._origin.id)
        if not rotting:
            return
        rotting._flush_rotting_touch_sources()
        touch_by_id = dict(self.env.execute_query(SQL(
            "SELECT lead.id, %s FROM crm_lead lead WHERE lead.id IN %s",
            self._rotting_touch_sql("lead"), tuple(rotting._origin.ids),
        )))
        now = self.env.cr.now()
        for lead in rotting:
            touch = touch_by_id.get(lead._origin.id)
            if not touch:
                continue
            if touch + timedelta(days=lead.stage_id.rotting_threshold_days) < now:
                lead.rotting_days = (now - touch).days
            else:
                lead.is_rotting = False
                lead.rotting_days = 0

    def _search_is_rotting(self, operator, value):
        """Odoo's search (stage change only), minus the deals touched within their stage's limit."""
        condition = super()._search_is_rotting(operator, value)
        (_field, _operator, stage_rotting_ids), = condition
        if not stage_rotting_ids:
            return condition
        self._flush_rotting_touch_sources()
        rotting_ids = [row[0] for row in self.env.execute_query(SQL(
            """SELECT lead.id
                 FROM crm_lead lead
                 JOIN crm_stage stage ON stage.id = lead.stage_id
                WHERE lead.id IN %s
                  AND %s >= %s + stage.rotting_threshold_days * INTERVAL '1 day'""",
            tuple(stage_rotting_ids), self.env.cr.now(), self._rotting_touch_sql("lead"),
        ))]
        return [("id", operator, rotting_ids)]

    @api.model
    def _cron_remind_rotting_deals(self, batch_size=200):
        """Daily: one reminder activity per rotting deal for its salesperson, batch by batch."""
        deals = self.search([("is_rotting", "=", True), ("user_id", "!=", False)], order="id")
        ir_cron = self.env["ir.cron"]
        ir_cron._commit_progress(remaining=len(deals))
        for batch_ids in split_every(batch_size, deals.ids):
            self._remind_rotting_batch(batch_ids)
            if ir_cron._commit_progress(len(batch_ids)) <= 0:
                break  # out of time: the cron is rescheduled and resumes with the rest

    @api.model
    def _remind_rotting_batch(self, lead_ids):
        """Remind one batch of rotting deals, exactly once even when several workers run at the same time.

        The batch is its own unit of work (the cron commits after it): on a serialization failure,
        deadlock or lock timeout Odoo's ``retrying`` rolls it back and runs it again in a fresh
        snapshot, which sees the other worker's reminders. Whether a deal still rots is read again
        under the lock: it may have been touched since the cron's search.
        """
        def remind():
            return self.browse(lead_ids)._claim_rows().filtered("is_rotting")._remind_rotting_deals()
        # outside a cron run the caller owns the transaction (and gets the error)
        return retrying(remind, self.env) if self.env.context.get("ir_cron_progress_id") else remind()

    def _claim_rows(self):
        """Write-lock these deals' rows (an UPDATE that changes nothing), so that two workers
        reminding the same deals never both go on: under REPEATABLE READ the later one waits,
        then fails with a serialization error once the first one commits."""
        if self.ids:
            self.env.cr.execute(SQL("UPDATE crm_lead SET write_date = write_date WHERE id IN %s",
                                    tuple(self.ids)), log_exceptions=False)
        return self.exists()

    def _remind_rotting_deals(self):
        """Schedule the rotting reminder on the deals of ``self`` that have no open one yet.

        Finishing the reminder is a touch: the deal stops rotting, and a new rot earns a new reminder.
        """
        activity_type = self.env.ref("crm_core.mail_activity_type_rotting_deal", raise_if_not_found=False)
        if not activity_type or not self:
            return self.env["mail.activity"]
        # one query for the whole batch: open (active) reminders already scheduled
        reminders = self.env["mail.activity"].search_fetch([
            ("res_model", "=", "crm.lead"),
            ("res_id", "in", self.ids),
            ("activity_type_id", "=", activity_type.id),
        ], ["res_id", "user_id"])
        reminded_ids = set(reminders.mapped("res_id"))
        # reminders left with a former salesperson follow the deal
        self._sync_rotting_reminder_user(reminders)
        model_id = self.env["ir.model"]._get_id("crm.lead")
        today = fields.Date.context_today(self)
        vals_list = []
        for lead in self:
            if lead.id in reminded_ids or not lead.user_id:
                continue
            lead_env = lead.with_context(lang=lead.user_id.lang).env
            vals_list.append({
                "res_model_id": model_id,
                "res_id": lead.id,
                "activity_type_id": activity_type.id,
                "user_id": lead.user_id.id,
                "date_deadline": today,
                "summary": lead_env._("Days without progress: %(days)s. Plan the next step.",
                                      days=lead.rotting_days),
            })
        return self.env["mail.activity"].create(vals_list)

    def _sync_rotting_reminder_user(self, reminders=None):
        """Open rotting reminders follow the deal's current salesperson; a deal
        without salesperson loses its reminder (the cron reminds nobody then)."""
        if reminders is None:
            activity_type = self.env.ref("crm_core.mail_activity_type_rotting_deal", raise_if_not_found=False)
            if not activity_type or not self.ids:
                return
            # sudo: see below, the reminders of the former salesperson are the ones to find
            reminders = self.env["mail.activity"].sudo().search([
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", activity_type.id),
            ])
        # sudo: the reminder belongs to the former salesperson; whoever could
        # reassign the deal may move its reminder along with it
        reminders = reminders.sudo()
        user_by_lead = {lead.id: lead.user_id for lead in self}
        to_unlink = self.env["mail.activity"].sudo()
        for reminder in reminders:
            user = user_by_lead[reminder.res_id]
            if not user:
                to_unlink |= reminder
            elif reminder.user_id != user:
                reminder.user_id = user
        to_unlink.unlink()


    # ------------------------------------------------------------------
    # ERP integration: product lines, quotations, invoicing
    # ------------------------------------------------------------------

    crm_pricelist_id = fields.Many2one(
        "product.pricelist", string="Pricelist", compute="_compute_crm_pricelist_id",
        store=True, readonly=False, check_company=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Prices the deal's product lines; defaults to the customer's pricelist.")
    crm_currency_id = fields.Many2one(
        "res.currency", string="Deal Currency", compute="_compute_crm_currency_id", store=True)
    crm_deal_line_ids = fields.One2many(
        "crm.deal.line", "lead_id", string="Product Lines", copy=True)
    crm_deal_line_amount = fields.Monetary(
        string="Products Total", compute="_compute_crm_deal_line_amount",
        currency_field="crm_currency_id",
        help="Total of the product lines, in the deal's currency.")
    crm_deal_invoice_count = fields.Integer(
        string="Invoice Count", compute="_compute_crm_deal_invoicing", compute_sudo=True)
    crm_deal_payment_count = fields.Integer(
        string="Payment Count", compute="_compute_crm_deal_payment_count", compute_sudo=True)
    crm_deal_amount_invoiced = fields.Monetary(
        string="Invoiced", compute="_compute_crm_deal_invoicing", compute_sudo=True,
        currency_field="company_currency",
        help="Posted customer invoices minus credit notes of the deal's orders, in company currency.")
    crm_deal_amount_paid = fields.Monetary(
        string="Paid", compute="_compute_crm_deal_invoicing", compute_sudo=True,
        currency_field="company_currency")
    crm_deal_amount_residual = fields.Monetary(
        string="Outstanding", compute="_compute_crm_deal_invoicing", compute_sudo=True,
        currency_field="company_currency")
    crm_deal_payment_state = fields.Selection(
        [
            ("none", "Nothing Invoiced"),
            ("not_paid", "Not Paid"),
            ("partial", "Partially Paid"),
            ("in_payment", "In Payment"),
            ("paid", "Paid"),
        ],
        string="Payment Status", compute="_compute_crm_deal_invoicing", compute_sudo=True)
    crm_deal_to_invoice = fields.Boolean(
        string="To Invoice", compute="_compute_crm_deal_to_invoice", search="_search_crm_deal_to_invoice",
        help="A confirmed order of the deal has something to invoice.")

    @api.depends("partner_id", "company_id")
    def _compute_crm_pricelist_id(self):
        for lead in self:
            if lead.crm_deal_line_ids and lead.crm_pricelist_id:
                continue  # never reprice lines already agreed with the customer
            partner = lead.partner_id.with_company(lead.company_id or self.env.company)
            pricelist = partner.property_product_pricelist
            if pricelist.company_id and pricelist.company_id != lead.company_id:
                # a deal of no company (from the portal, a lead list...) cannot take a company's
                # pricelist (Odoo's company consistency): it prices in the company's currency
                pricelist = pricelist.browse()
            lead.crm_pricelist_id = pricelist

    @api.depends("crm_pricelist_id", "company_id")
    def _compute_crm_currency_id(self):
        for lead in self:
            lead.crm_currency_id = (
                lead.crm_pricelist_id.currency_id
                or lead.company_id.currency_id
                or self.env.company.currency_id
            )

    @api.depends("crm_deal_line_ids.price_subtotal")
    def _compute_crm_deal_line_amount(self):
        for lead in self:
            lead.crm_deal_line_amount = sum(lead.crm_deal_line_ids.mapped("price_subtotal"))

    def _get_crm_deal_line_amount_company(self):
        """Lines' total converted to the company currency (expected revenue's currency)."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return self.crm_currency_id._convert(
            self.crm_deal_line_amount, self.company_currency, company, fields.Date.context_today(self))

    def _crm_deal_lines_changed(self):
        """Hook called when a deal's product lines change (bridges extend it)."""
        self._sync_expected_revenue()

    def _sync_expected_revenue(self):
        """Expected revenue follows confirmed orders, else product lines, else stays manual."""
        for lead in self:
            if lead.sale_order_count:
                amount = lead.sale_amount_total
            elif lead.crm_deal_line_ids:
                amount = lead._get_crm_deal_line_amount_company()
            else:
                continue
            if lead.company_currency.compare_amounts(amount, lead.expected_revenue):
                lead.expected_revenue = amount

    def _update_revenues_from_so(self, order):
        # sale_crm only raises the revenue to the biggest order; we sum confirmed orders
        res = super()._update_revenues_from_so(order)
        self._sync_expected_revenue()
        return res

    @api.model
    def _is_win_on_order_confirm_enabled(self):
        return self.env["res.config.settings"]._crm_get_setting("crm_deal_won_on_order_confirm")

    def _win_deals_on_order_confirm(self):
        """A confirmed quotation wins its deal (setting, on by default)."""
        if not self or not self._is_win_on_order_confirm_enabled():
            return
        to_win = self.filtered(lambda lead: lead.won_status != "won" and lead.type == "opportunity")
        if to_win:
            to_win.action_set_won()

    # -- quotation ------------------------------------------------------

    def _prepare_quotation_values(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Set a customer on the deal %(deal)s before quoting it.", deal=self.name))
        context_defaults = self._prepare_opportunity_quotation_context()
        values = {
            key.removeprefix("default_"): value
            for key, value in context_defaults.items()
            if key.startswith("default_")
        }
        partner = self.partner_id.with_company(values["company_id"])
        values.update({
            "pricelist_id": self.crm_pricelist_id.id or partner.property_product_pricelist.id,
            "payment_term_id": partner.property_payment_term_id.id,
            "order_line": [
                Command.create({
                    "sequence": line.sequence,
                    "product_id": line.product_id.id,
                    "name": line.name,
                    "product_uom_qty": line.product_uom_qty,
                    "product_uom_id": line.product_uom_id.id,
                    "price_unit": line.price_unit,
                    "technical_price_unit": line.technical_price_unit,
                    "discount": line.discount,
                })
                for line in self.crm_deal_line_ids
            ],
        })
        return values

    def action_new_quotation(self):
        # Odoo's "New Quotation" (also reached after its customer wizard) is the one path to a quotation:
        # a deal with product lines gets a quotation carrying them, a deal without keeps Odoo's empty form
        if len(self) == 1 and self.crm_deal_line_ids:
            return self.action_create_quotation()
        return super().action_new_quotation()

    def action_create_quotation(self):
        """One click: a quotation carrying the deal's lines, pricelist, terms and UTM."""
        self.ensure_one()
        self.check_access("read")
        self.env["sale.order"].check_access("create")
        order = self.env["sale.order"].create(self._prepare_quotation_values())
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "views": [(self.env.ref("sale.view_order_form").id, "form")],
            "target": "current",
        }

    # -- invoicing ------------------------------------------------------

    def _get_deal_invoices(self):
        """Customer invoices and credit notes of each deal's orders: {lead id: account.move}."""
        moves_by_lead = {lead.id: self.env["account.move"] for lead in self}
        lead_ids = [lead_id for lead_id in self.ids if lead_id]
        if not lead_ids:
            return moves_by_lead
        self.env["sale.order"].flush_model(["opportunity_id"])
        self.env["sale.order.line"].flush_model(["order_id", "invoice_lines"])
        self.env["account.move.line"].flush_model(["move_id"])
        self.env["account.move"].flush_model(["move_type"])
        rows = self.env.execute_query(SQL(
            """
            SELECT DISTINCT so.opportunity_id, aml.move_id
              FROM sale_order so
              JOIN sale_order_line sol ON sol.order_id = so.id
              JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
              JOIN account_move am ON am.id = aml.move_id
             WHERE so.opportunity_id IN %s
               AND am.move_type IN ('out_invoice', 'out_refund')
            """,
            tuple(lead_ids),
        ))
        move_ids_by_lead = {}
        for lead_id, move_id in rows:
            move_ids_by_lead.setdefault(lead_id, []).append(move_id)
        # one prefetch set for all the moves: their fields load in one query
        all_move_ids = [move_id for _lead_id, move_id in rows]
        for lead_id, move_ids in move_ids_by_lead.items():
            moves_by_lead[lead_id] = self.env["account.move"].browse(move_ids).with_prefetch(all_move_ids)
        return moves_by_lead

    @api.depends("order_ids.invoice_ids.payment_state", "order_ids.invoice_ids.amount_residual_signed")
    def _compute_crm_deal_invoicing(self):
        moves_by_lead = self._get_deal_invoices()
        for lead in self:
            invoices = moves_by_lead[lead.id]
            posted = invoices.filtered(lambda move: move.state == "posted")
            invoiced = sum(posted.mapped("amount_total_signed"))
            residual = sum(posted.mapped("amount_residual_signed"))
            lead.crm_deal_invoice_count = len(invoices)
            lead.crm_deal_amount_invoiced = invoiced
            lead.crm_deal_amount_residual = residual
            lead.crm_deal_amount_paid = invoiced - residual
            lead.crm_deal_payment_state = self._get_deal_payment_state(posted)

    @api.depends("order_ids.invoice_ids.payment_state")
    def _compute_crm_deal_payment_count(self):
        # separate from the amounts: Odoo computes reconciled payments invoice by invoice
        moves_by_lead = self._get_deal_invoices()
        for lead in self:
            posted = moves_by_lead[lead.id].filtered(lambda move: move.state == "posted")
            lead.crm_deal_payment_count = len(posted.reconciled_payment_ids)

    @api.model
    def _get_deal_payment_state(self, posted_invoices):
        states = set(posted_invoices.mapped("payment_state"))
        if not states:
            return "none"
        if states <= {"paid", "reversed"}:
            return "paid"
        if states <= {"paid", "reversed", "in_payment"}:
            return "in_payment"
        if states & {"paid", "in_payment", "partial"}:
            return "partial"
        return "not_paid"

    @api.depends("order_ids.state", "order_ids.invoice_status")
    def _compute_crm_deal_to_invoice(self):
        for lead in self:
            lead.crm_deal_to_invoice = bool(lead._get_orders_to_invoice())

    def _search_crm_deal_to_invoice(self, operator, value):
        if operator != "in":
            return NotImplemented
        orders_domain = [("state", "=", "sale"), ("invoice_status", "=", "to invoice")]
        if True in value:
            return [("order_ids", "any", orders_domain)]
        return [("order_ids", "not any", orders_domain)]

    def _get_orders_to_invoice(self):
        return self.order_ids.filtered(
            lambda order: order.state == "sale" and order.invoice_status == "to invoice")

    def action_create_deal_invoice(self):
        """Odoo's own invoicing wizard (regular or down payment) on the deal's confirmed orders."""
        self.ensure_one()
        self.check_access("read")
        orders = self._get_orders_to_invoice()
        if not orders:
            raise UserError(self.env._("The deal %(deal)s has no confirmed order to invoice.", deal=self.name))
        action = self.env["ir.actions.actions"]._for_xml_id("sale.action_view_sale_advance_payment_inv")
        action["context"] = {
            "active_model": "sale.order",
            "active_ids": orders.ids,
            "active_id": orders[0].id,
            "crm_deal_invoicing": True,
        }
        return action

    @api.readonly
    def action_view_deal_invoices(self):
        self.ensure_one()
        # the deal's invoices are found with SQL: the deal itself must be readable
        self.check_access("read")
        invoices = self._get_deal_invoices()[self.id]
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        if len(invoices) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = invoices.id
        return action

    @api.readonly
    def action_view_deal_payments(self):
        self.ensure_one()
        self.check_access("read")
        posted = self._get_deal_invoices()[self.id].filtered(lambda move: move.state == "posted")
        payments = posted.reconciled_payment_ids
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payments"),
            "res_model": "account.payment",
            "domain": [("id", "in", payments.ids)],
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Data operators on deals: contact data yes, amounts and stages no
    # ------------------------------------------------------------------

    # what a data operator without a sales role may change on a deal: the
    # customer's contact data; everything else (amounts, stages, probability,
    # salesperson…) needs a sales role
    _CRM_DATA_OPERATOR_DEAL_FIELDS = frozenset({
        "partner_id", "contact_name", "partner_name", "email_from", "phone", "function", "website",
        "street", "street2", "zip", "city", "state_id", "country_id", "lang_id",
    })

    def write(self, vals):
        self._crm_check_data_operator_write(vals)
        res = super().write(vals)
        if "user_id" in vals:
            self._sync_rotting_reminder_user()
        return res

    def _crm_check_data_operator_write(self, vals):
        user = self.env.user
        if self.env.su or user.has_group("sales_team.group_sale_salesman") \
                or not user.has_group("crm_core.group_crm_data_operator"):
            return
        refused = set(vals) - self._CRM_DATA_OPERATOR_DEAL_FIELDS
        if refused:
            labels = sorted(self._fields[name]._description_string(self.env)
                            for name in refused if name in self._fields)
            raise AccessError(self.env._(
                "Data operators may change only the contact data of deals, not %(fields)s.",
                fields=", ".join(labels)))

    # A deal copies its email and phone to the customer's contact (Odoo's
    # inverse); it does not when the user may not change that contact's
    # personal data: the deal keeps its own value, nothing is refused.

    def _get_partner_email_update(self, force_void=True):
        return super()._get_partner_email_update(force_void=force_void) and self.partner_id.crm_can_edit_personal_data

    def _get_partner_phone_update(self, force_void=True):
        return super()._get_partner_phone_update(force_void=force_void) and self.partner_id.crm_can_edit_personal_data

    # -- personal data requests (privacy.lookup.wizard, see models.py) --------------------

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        sheets = super()._crm_privacy_lookup(persons, emails)
        domain = Domain("partner_id", "in", persons.ids)
        if emails:
            domain |= Domain("email_normalized", "in", emails)
        sheets.append(PrivacySheet(self.env._("Leads and Deals"), domain, [
            "name", "type", "partner_id", "partner_name", "contact_name", "email_from", "phone", "street", "street2",
            "zip", "city", "description", "stage_id", "user_id"]))
        return sheets

    def _crm_privacy_anonymize(self, persons, emails):
        """The contact details typed on the leads; the deal itself (name, amounts, stage) is kept."""
        values = dict.fromkeys(("contact_name", "email_from", "phone", "street", "street2", "zip", "city",
                                "description"), False)
        self.write(values)
        return [*super()._crm_privacy_anonymize(persons, emails), *values]
