from contextlib import contextmanager

from markupsafe import Markup

from odoo import models
from odoo.fields import Command
from odoo.tools import SQL, email_normalize, html2plaintext

from ..models.crm_partner_merge_record import CONTEXT_LOG, MergeLog, merge_log

# Odoo's merge refuses more than 3 contacts at a time: the kept card and 2 others per step
MERGE_STEP = 2
# contact data chosen field by field when a group is merged
CHOICE_FIELDS = (
    "name", "email", "phone", "crm_other_phones", "street", "street2", "zip", "city", "state_id", "country_id",
    "function", "website", "vat", "crm_kpp", "comment",
)
# Odoo's _update_reference_fields moves these model/res_id pairs
REFERENCE_MODELS = (
    ("ir.attachment", "res_model"), ("mail.followers", "res_model"), ("mail.activity", "res_model"),
    ("mail.message", "model"), ("ir.model.data", "model"),
)
# groups that merge contacts whose emails differ (Odoo allows only the administrator)
MERGE_ANY_EMAIL_GROUPS = ("crm_core.group_crm_data_operator", "sales_team.group_sale_manager")


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's contact merge, kept undoable: the merged cards are archived instead of deleted and every
    link Odoo moves is logged in a ``crm.partner.merge.record``. Only a user who may change the personal
    data of every merged contact may merge them."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _get_fk_on(self, table):
        # the undo log keeps pointing to the merged cards
        return [(tbl, column) for tbl, column in super()._get_fk_on(table)
                if not tbl.startswith("crm_partner_merge_record")]

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        partners._crm_check_personal_data_merge()
        if extra_checks and any(self.env.user.has_group(group) for group in MERGE_ANY_EMAIL_GROUPS):
            extra_checks = False
        if not 2 <= len(partners) <= 3:
            return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        if not (dst_partner and dst_partner in partners):
            dst_partner = self._get_ordered_partner(partners.ids)[-1]
        src_partners = partners - dst_partner
        with self._crm_merge_recorded(dst_partner) as log:
            captured = self._crm_capture_links(src_partners, dst_partner)
            log.archive_ids.update(src_partners.ids)
            result = super(BasePartnerMergeAutomaticWizard, self.with_context(**{CONTEXT_LOG: log}))._merge(
                partners.ids, dst_partner=dst_partner, extra_checks=extra_checks)
            self.env.flush_all()
            log.src_ids += src_partners.ids
            log.link_data += self._crm_moved_links(captured, src_partners, dst_partner)
        return result

    @contextmanager
    def _crm_merge_recorded(self, dst_partner):
        """Within the block, the merges into ``dst_partner`` are logged; the undo record is written at
        the end, once everything succeeded (``log.record``)."""
        current = merge_log(self.env)
        if current:
            yield current
            return
        Record = self.env["crm.partner.merge.record"].sudo()  # a log written by the merge, not by the user
        snapshot = Record._snapshot_values(dst_partner)
        log = MergeLog(Record)
        yield log
        if log.src_ids:
            log.record = Record.create({
                "dst_partner_id": dst_partner.id,
                "src_partner_ids": [Command.set(log.src_ids)],
                "link_data": log.link_data,
            })
            log.record._keep_changed_values(snapshot)

    # ------------------------------------------------------------
    # Links before and after Odoo's own update (same foreign keys as _update_foreign_keys)
    # ------------------------------------------------------------

    def _crm_table_columns(self, table):
        self.env.cr.execute(SQL(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND table_schema = current_schema()", table))
        return [name for (name,) in self.env.cr.fetchall()]

    def _crm_link_sources(self):
        """(table, column, key column, extra condition) of every place Odoo's merge moves."""
        sources = []
        for table, column in self._get_fk_on("res_partner"):
            if "base_partner_merge_" in table:
                continue
            columns = self._crm_table_columns(table)
            if "id" in columns:
                sources.append((table, column, "id", SQL("TRUE"), False))
            elif len(columns) == 2:  # many2many table: a row is its other column
                other = next(name for name in columns if name != column)
                sources.append((table, column, other, SQL("TRUE"), False))
        for model_name, model_column in REFERENCE_MODELS:
            sources.append((self.env[model_name]._table, "res_id", "id",
                            SQL("%s = 'res.partner'", SQL.identifier(model_column)), False))
        # stored reference fields ("res.partner,42"), as Odoo's _update_reference_fields_generic finds them
        for field in self.env["ir.model.fields"].sudo().search([("ttype", "=", "reference"), ("store", "=", True)]):
            Model = self.env.get(field.model)
            model_field = Model is not None and Model._fields.get(field.name)
            if (model_field and Model._auto and not Model._abstract and model_field.compute is None
                    and model_field.store):
                sources.append((Model._table, field.name, "id", SQL("TRUE"), True))
        return sources

    def _crm_link_value(self, partner_id, as_reference):
        return f"res.partner,{partner_id}" if as_reference else partner_id

    def _crm_capture_links(self, src_partners, dst_partner):
        self.env.flush_all()
        captured = []
        for table, column, key_column, condition, as_reference in self._crm_link_sources():
            self.env.cr.execute(SQL(
                "SELECT %(key)s, %(column)s FROM %(table)s WHERE %(column)s IN %(ids)s AND %(condition)s",
                key=SQL.identifier(key_column), column=SQL.identifier(column), table=SQL.identifier(table),
                ids=tuple(self._crm_link_value(pid, as_reference) for pid in src_partners.ids),
                condition=condition))
            rows = self.env.cr.fetchall()
            if not rows:
                continue
            dst_keys = set()
            if key_column != "id":
                self.env.cr.execute(SQL(
                    "SELECT %(key)s FROM %(table)s WHERE %(column)s = %(dst)s",
                    key=SQL.identifier(key_column), column=SQL.identifier(column),
                    table=SQL.identifier(table), dst=dst_partner.id))
                dst_keys = {key for (key,) in self.env.cr.fetchall()}
            captured.append((table, column, key_column, condition, as_reference, rows, dst_keys))
        return captured

    def _crm_moved_links(self, captured, src_partners, dst_partner):
        """The captured rows that now point to the kept card: [table, column, key column, key, from, to]."""
        moved = []
        for table, column, key_column, condition, as_reference, rows, dst_keys in captured:
            keys = tuple({key for key, __ in rows})
            dst_value = self._crm_link_value(dst_partner.id, as_reference)
            self.env.cr.execute(SQL(
                "SELECT %(key)s, %(column)s FROM %(table)s WHERE %(key)s IN %(keys)s AND %(column)s IN %(ids)s "
                "AND %(condition)s",
                key=SQL.identifier(key_column), column=SQL.identifier(column), table=SQL.identifier(table),
                keys=keys, condition=condition,
                ids=tuple(self._crm_link_value(pid, as_reference) for pid in src_partners.ids + dst_partner.ids)))
            now = set(self.env.cr.fetchall())
            moved += [
                [table, column, key_column, key, src_value, dst_value]
                for key, src_value in rows
                if (key, dst_value) in now and (key, src_value) not in now and key not in dst_keys
            ]
        return moved

    # ------------------------------------------------------------
    # A whole group, with a choice per field
    # ------------------------------------------------------------

    def _crm_choice_fields(self):
        return list(CHOICE_FIELDS)

    def _crm_value_text(self, partner, name):
        field = partner._fields[name]
        value = partner[name]
        if field.type == "many2one":
            return value.display_name or ""
        if field.type == "html":
            return html2plaintext(value or "").strip()
        return str(value or "").strip()

    def _crm_default_choices(self, partners):
        """Per field, the card with the most complete value (valid, longest), then the most recent."""
        choices = {}
        for name in self._crm_choice_fields():
            def rank(partner, name=name):
                text = self._crm_value_text(partner, name)
                valid = bool(email_normalize(text)) if name == "email" else (
                    bool(partner.phone_sanitized) if name == "phone" else True)
                return (valid, len(text), partner.write_date, partner.id)
            filled = partners.filtered(lambda partner, name=name: self._crm_value_text(partner, name))
            if filled:
                choices[name] = max(filled, key=rank)
        return choices

    def _crm_merge_group(self, partners, dst_partner, choices=None):
        """Merge a group of any size into ``dst_partner`` in steps of Odoo's merge, give it the chosen
        value of every contact field and keep the discarded values in its chatter."""
        choices = {**self._crm_default_choices(partners), **(choices or {})}
        names = self._crm_choice_fields()
        texts = {partner: {name: self._crm_value_text(partner, name) for name in names} for partner in partners}
        chosen_values = {
            name: partner._fields[name].convert_to_write(partner[name], partner)
            for name, partner in choices.items() if partner in partners
        }
        others = (partners - dst_partner).sorted("id")
        with self._crm_merge_recorded(dst_partner) as log:
            merge = self.with_context(**{CONTEXT_LOG: log})
            for start in range(0, len(others), MERGE_STEP):
                merge._merge((dst_partner | others[start:start + MERGE_STEP]).ids, dst_partner)
            dst_partner.invalidate_recordset()
            changed = {name: value for name, value in chosen_values.items()
                       if dst_partner._fields[name].convert_to_write(dst_partner[name], dst_partner) != value}
            if changed:
                dst_partner.write(changed)
            self._crm_post_discarded_values(dst_partner, partners, texts)
        return log.record

    def _crm_post_discarded_values(self, dst_partner, partners, texts):
        lines = []
        for name in self._crm_choice_fields():
            kept = self._crm_value_text(dst_partner, name)
            label = dst_partner._fields[name]._description_string(self.env)
            for partner in partners:
                text = texts[partner][name]
                if text and text != kept:
                    lines.append(Markup("<li>%s</li>") % self.env._(
                        "%(field)s: %(value)s (from %(partner)s, #%(id)s)",
                        field=label, value=text, partner=texts[partner]["name"], id=partner.id))
        merged = ", ".join(f"{texts[partner]['name']} (#{partner.id})" for partner in partners - dst_partner)
        body = Markup("<p>%s</p>") % self.env._("Merged into this contact: %(partners)s.", partners=merged)
        if lines:
            body += Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Values not kept:"), Markup("").join(lines))
        dst_partner.message_post(body=body)
