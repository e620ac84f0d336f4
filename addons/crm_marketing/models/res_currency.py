from odoo import api, models
from odoo.tools import SQL


class ResCurrency(models.Model):
    _inherit = "res.currency"

    @api.model
    def _crm_sql_rate(self, currency, company, date):
        """SQL for Odoo's rate of ``currency`` at ``date`` for ``company`` (SQL expressions).

        Same choice as ``res.currency._get_rates``: the company's own rate before the
        generic one, the latest on or before the date, else the earliest, else 1.
        """
        scope = SQL(
            "r.currency_id = %(currency)s AND (r.company_id IS NULL OR r.company_id = ("
            "SELECT split_part(rc.parent_path, '/', 1)::int FROM res_company rc WHERE rc.id = %(company)s))",
            currency=currency, company=company,
        )
        return SQL(
            """COALESCE(
                (SELECT r.rate FROM res_currency_rate r WHERE %(scope)s AND r.name <= %(date)s
                  ORDER BY r.company_id NULLS LAST, r.name DESC LIMIT 1),
                (SELECT r.rate FROM res_currency_rate r WHERE %(scope)s
                  ORDER BY r.company_id NULLS LAST, r.name ASC LIMIT 1),
                1.0)""",
            scope=scope, date=date,
        )

    @api.model
    def _crm_sql_convert(self, amount, from_currency, to_currency, company, date):
        """SQL converting ``amount`` like ``res.currency._convert`` (all arguments are SQL expressions),
        for reports that must add or compare amounts of several currencies."""
        return SQL(
            "(CASE WHEN %(from)s = %(to)s THEN %(amount)s "
            "ELSE %(amount)s * %(to_rate)s / %(from_rate)s END)",
            amount=amount, to=to_currency, **{"from": from_currency},
            to_rate=self._crm_sql_rate(to_currency, company, date),
            from_rate=self._crm_sql_rate(from_currency, company, date),
        )
