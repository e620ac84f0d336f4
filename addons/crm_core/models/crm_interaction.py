from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from .models import PrivacySheet

INTERACTION_TYPES = [
    ("call", "Call"),
    ("meeting", "Meeting"),
    ("visit", "Visit"),
    ("letter", "Letter"),
    ("email", "Message / Email"),
    ("other", "Other"),
]

# The activity type each interaction type completes when its status names none
# (Odoo's own types: their chaining is configured in Settings > Activity Types).
INTERACTION_ACTIVITY_TYPES = {
    "call": "mail.mail_activity_data_call",
    "meeting": "mail.mail_activity_data_meeting",
    "email": "mail.mail_activity_data_email",
}

# Types that record a conversation face to face: the seed documents require
# their date, contact person, topic and result.
TYPES_WITH_MINIMUM_DATA = ("meeting", "visit")


class CrmInteraction(models.Model):
    """One contact with a customer: a call, a meeting, a visit, a letter…"""

    _name = "crm.interaction"
    _description = "Customer Interaction"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Topic", required=True, tracking=True)
    interaction_type = fields.Selection(
        INTERACTION_TYPES, string="Type", required=True, default="call", tracking=True)
    direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound")], required=True, default="outbound")
    status_id = fields.Many2one(
        "crm.interaction.status", string="Outcome", tracking=True, index="btree_not_null",
        domain="['|', ('interaction_type', '=', False), ('interaction_type', '=', interaction_type)]")
    is_success = fields.Boolean(related="status_id.is_success")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, tracking=True)
    duration = fields.Float("Duration (hours)")
    _check_duration = models.Constraint(
        "CHECK(duration >= 0)", "The duration of an interaction cannot be negative.")
    contact_id = fields.Many2one(
        "res.partner", string="Contact Person", index="btree_not_null", check_company=True,
        domain="[('type', '=', 'contact')]")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, required=True, check_company=True,
        compute="_compute_partner_id", store=True, readonly=False, precompute=True,
        help="The organisation (commercial entity) the interaction belongs to.")
    lead_id = fields.Many2one(
        "crm.lead", string="Deal", index="btree_not_null", ondelete="set null", check_company=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True,
        default=lambda self: self.env.user, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    result = fields.Text("Result / Notes")

    @api.model_create_multi
    def create(self, vals_list):
        self._crm_check_links_readable(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if {"partner_id", "contact_id", "lead_id"} & vals.keys():
            self._crm_check_links_readable([vals])
        return super().write(vals)

    @api.model
    def _crm_check_links_readable(self, vals_list):
        """The customer, contact and deal come from the client (a form, the log wizard, JSON-RPC): an
        interaction goes only into the history of records the user may read. Checked before anything is
        written, so that no later message names a record the user may not see."""
        def ids(fname):
            return {vals[fname] for vals in vals_list if type(vals.get(fname)) is int}
        self.env["res.partner"].browse(ids("partner_id") | ids("contact_id")).check_access("read")
        self.env["crm.lead"].browse(ids("lead_id")).check_access("read")

    @api.model
    def _crm_check_links(self, partners, lead, customer):
        """Raise unless ``partners`` and ``lead`` are readable and the deal is one of ``customer``'s."""
        partners.check_access("read")
        lead.check_access("read")
        self._crm_check_deal_of_customer(lead, customer)

    @api.model
    def _crm_check_deal_of_customer(self, lead, customer):
        for deal in lead:
            if deal.partner_id and customer and deal.partner_id.commercial_partner_id not in customer:
                raise ValidationError(self.env._(
                    "The deal %(deal)s is not a deal of %(customer)s.",
                    deal=deal.name, customer=", ".join(customer.mapped("display_name"))))

    @api.depends("contact_id", "lead_id")
    def _compute_partner_id(self):
        for interaction in self:
            source = interaction.contact_id or interaction.lead_id.partner_id
            interaction.partner_id = source.commercial_partner_id or interaction.partner_id

    @api.constrains("interaction_type", "date", "contact_id", "name", "result")
    def _check_minimum_data(self):
        labels = {fname: self._fields[fname].get_description(self.env)["string"]
                  for fname in ("date", "contact_id", "name", "result")}
        for interaction in self.filtered(lambda i: i.interaction_type in TYPES_WITH_MINIMUM_DATA):
            missing = [labels[fname] for fname in ("date", "contact_id", "name", "result")
                       if not (interaction[fname] and str(interaction[fname]).strip())]
            if missing:
                raise ValidationError(self.env._(
                    "A %(type)s must record its date, contact person, topic and result. Missing: %(fields)s.",
                    type=dict(self._fields["interaction_type"]._description_selection(self.env))[
                        interaction.interaction_type].lower(),
                    fields=", ".join(missing),
                ))

    @api.constrains("status_id", "interaction_type")
    def _check_status_type(self):
        for interaction in self:
            status = interaction.status_id
            if status.interaction_type and status.interaction_type != interaction.interaction_type:
                raise ValidationError(self.env._(
                    "The outcome “%(status)s” is not available for this type of interaction.",
                    status=status.name,
                ))

    @api.constrains("lead_id", "partner_id")
    def _check_lead_partner(self):
        for interaction in self:
            # sudo: the rule is about the deal's customer, whoever may read the deal
            self._crm_check_deal_of_customer(interaction.lead_id.sudo(), interaction.partner_id)

    @api.constrains("contact_id", "partner_id")
    def _check_contact_partner(self):
        for interaction in self:
            contact = interaction.contact_id
            if contact and interaction.partner_id and contact.commercial_partner_id != interaction.partner_id:
                raise ValidationError(self.env._(
                    "%(contact)s is not a contact of %(partner)s.",
                    contact=contact.display_name, partner=interaction.partner_id.display_name,
                ))

    def _crm_activity_type(self):
        """The activity type this interaction completes: its status's, else its own type's."""
        self.ensure_one()
        if self.status_id.activity_type_id:
            return self.status_id.activity_type_id
        xmlid = INTERACTION_ACTIVITY_TYPES.get(self.interaction_type)
        return (xmlid and self.env.ref(xmlid, raise_if_not_found=False)) or self.env["mail.activity.type"]

    def _crm_timeline_entry(self):
        """The timeline dict of one interaction (see res.partner._crm_timeline_entries)."""
        self.ensure_one()
        type_label = dict(self._fields["interaction_type"]._description_selection(self.env))[self.interaction_type]
        parts = [self.status_id.name, self.contact_id.name, self.result]
        return {
            "date": self.date,
            "type": "interaction",
            "name": f"{type_label}: {self.name}",
            "description": " · ".join(p for p in parts if p),
            "res_model": self._name,
            "res_id": self.id,
            "user_id": self.user_id.id,
        }

    # -- personal data requests (privacy.lookup.wizard, see models.py) --------------------

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        sheets = super()._crm_privacy_lookup(persons, emails)
        sheets.append(PrivacySheet(
            self.env._("Interactions"),
            Domain("partner_id", "in", persons.ids) | Domain("contact_id", "in", persons.ids),
            ["name", "date", "interaction_type", "direction", "partner_id", "contact_id", "user_id", "result"]))
        return sheets

    def _crm_privacy_anonymize(self, persons, emails):
        """The notes taken; meetings and visits must keep a result: a neutral one."""
        self.write({"result": self.env._("Anonymized")})
        return [*super()._crm_privacy_anonymize(persons, emails), "result"]
