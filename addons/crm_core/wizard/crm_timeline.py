from odoo import api, fields, models


class CrmTimeline(models.TransientModel):
    """The customer's timeline as a screen: one page of merged entries, a type filter, "load more"."""

    _name = "crm.timeline"
    _description = "Customer Timeline"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade")
    entry_type = fields.Selection(selection="_selection_entry_type", string="Show Only")
    page_size = fields.Integer(default=20)
    entry_ids = fields.One2many("crm.timeline.entry", "timeline_id", string="Entries", readonly=True)
    has_more = fields.Boolean(readonly=True)

    @api.depends("partner_id")
    def _compute_display_name(self):
        # the breadcrumb shows the record's name: without this it reads "crm.timeline,1"
        for timeline in self:
            timeline.display_name = self.env._(
                "%(partner)s: Timeline", partner=timeline.partner_id.display_name)

    @api.model
    def _selection_entry_type(self):
        return list(self.env["res.partner"]._crm_timeline_sources().items())

    @api.model
    def _action_open(self, partner):
        timeline = self.create({"partner_id": partner.id})
        timeline._load(reset=True)
        return timeline._action_reopen()

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Timeline of %(partner)s", partner=self.partner_id.display_name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _load(self, reset=False):
        self.ensure_one()
        if reset:
            self.entry_ids.unlink()
        types = [self.entry_type] if self.entry_type else None
        page = self.partner_id.crm_timeline_get(types=types, offset=len(self.entry_ids), limit=self.page_size)
        labels = self.partner_id._crm_timeline_sources()
        start = len(self.entry_ids)
        self.env["crm.timeline.entry"].create([{
            "timeline_id": self.id,
            "sequence": start + index,
            "date": entry["date"],
            "entry_type": entry["type"],
            "type_label": labels.get(entry["type"], entry["type"]),
            "name": entry["name"],
            "description": entry.get("description") or "",
            "res_model": entry["res_model"],
            "res_id": entry["res_id"],
            "user_id": entry.get("user_id") or False,
        } for index, entry in enumerate(page["entries"])])
        self.has_more = page["has_more"]

    def action_load_more(self):
        self._load()
        return self._action_reopen()

    def action_refresh(self):
        self._load(reset=True)
        return self._action_reopen()


class CrmTimelineEntry(models.TransientModel):
    _name = "crm.timeline.entry"
    _description = "Customer Timeline Entry"
    _order = "sequence"

    timeline_id = fields.Many2one("crm.timeline", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer()
    date = fields.Datetime()
    entry_type = fields.Char("Type Key")
    type_label = fields.Char("Type")
    name = fields.Char("Entry")
    description = fields.Text()
    res_model = fields.Char("Document Model")
    res_id = fields.Many2oneReference("Document", model_field="res_model")
    user_id = fields.Many2one("res.users")

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
