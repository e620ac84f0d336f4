from typing import NamedTuple

from odoo import api, models, tools
from odoo.fields import Domain
from odoo.tools.mail import email_split_and_format


class PrivacySheet(NamedTuple):
    """Where a model keeps a person's data: one sheet of the personal data export.

    ``label``: the sheet's title; ``domain``: the records holding the person's data (searched with sudo,
    archived ones included, then kept to the requester's companies); ``fields``: the columns exported.
    """

    label: str
    domain: Domain
    fields: list


class Base(models.AbstractModel):
    """The privacy hooks of every model, as Odoo's mail does for tracking (``mail/models/models.py``).

    A model holding personal data overrides :meth:`_crm_privacy_lookup` (where the data is) and, unless
    its records are kept as they are (orders, invoices, contracts), :meth:`_crm_privacy_anonymize`.
    Odoo's ``privacy.lookup.wizard`` (see ``crm_core/wizard/privacy_lookup_wizard.py``) asks every model.
    """

    _inherit = "base"

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        """The sheets of this model in a personal data request, a list of :class:`PrivacySheet`.

        ``persons``: the contacts (``res.partner``) whose data is requested, their child contacts included;
        ``emails``: their normalized addresses. Match addresses held in text fields with
        :meth:`_crm_privacy_address_domain` (the exact address, never a longer one containing it).
        Extend with ``super()`` then append (or change a sheet with ``sheet._replace(...)``).
        """
        return []

    def _crm_privacy_anonymize(self, persons, emails):
        """Replace the persons' data held in these records (found by :meth:`_crm_privacy_lookup`) by neutral
        values; return the names of the fields changed (their tracked old values are dropped).

        Called with sudo, tracking disabled, on the records the requester may handle. By default nothing
        is written: the records are kept as they are (legal documents, contracts).
        """
        return []

    @api.model
    def _crm_privacy_address_domain(self, field_name, emails, address_list=False):
        """The records whose ``field_name`` holds one of ``emails`` (normalized addresses), as a domain:
        the bare address or ``"Name" <address>`` (with ``address_list``, one address of a list such as a
        Cc field) — never a longer address containing it (``marianna.x@`` for ``anna.x@``)."""
        if not emails:
            return Domain.FALSE
        domains = []
        for email in emails:
            # escaped: "_" and "%" of an address are no wildcards
            pattern = tools.escape_psql(email)
            if address_list:
                domains.append(Domain(field_name, "ilike", pattern))
            else:
                domains += [Domain(field_name, "=ilike", pattern), Domain(field_name, "=ilike", f"%<{pattern}>")]
        emails = set(emails)
        # sudo: only the ids of the records holding the persons' own addresses leave this method; the
        # lookup is reserved to privacy officers (privacy.lookup.wizard._crm_privacy_check_access)
        records = self.sudo().with_context(active_test=False).search(Domain.OR(domains))
        return Domain("id", "in", records.filtered(
            lambda record: emails.intersection(tools.email_normalize_all(record[field_name] or ""))).ids)

    def _crm_privacy_remove_addresses(self, field_name, emails):
        """Remove ``emails`` from the address list ``field_name`` (e.g. Cc), keeping the other addresses."""
        emails = set(emails)
        for record in self:
            kept = [address for address in email_split_and_format(record[field_name] or "")
                    if tools.email_normalize(address) not in emails]
            record[field_name] = ", ".join(kept) or False
        return [field_name]
