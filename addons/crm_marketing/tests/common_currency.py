from odoo.fields import Command


class TwoCurrencyCampaignMixin:
    """A company in USD with fixed RUB and EUR rates on fixed dates, and a campaign with
    costs in USD and RUB and confirmed orders in EUR (shared with crm_analytics' tests).

    Rates (units for one USD):   RUB 100 from 2026-01-01, 80 from 2026-03-01;
                                 EUR 0.5 from 2026-01-01, 0.8 from 2026-03-01.
    Approved costs:  1000 USD (2026-02-10) + 40000 RUB (2026-02-10 -> 400) + 16000 RUB (2026-03-15 -> 200)
                     = 1600 USD; a refused cost of 99999 RUB does not count.
    Confirmed orders: 1000 EUR (2026-02-15 -> 2000) + 640 EUR (2026-03-20 -> 800) = 2800 USD;
                      a 5000 EUR quotation does not count.
    Four leads, one of them won with an expected revenue of 99999 (not revenue: no order).
    ROI = (2800 - 1600) / 1600 = 75 %, cost per lead = 1600 / 4 = 400, cost per won deal 1600.
    """

    @classmethod
    def _setup_money_world(cls):
        Currency = cls.env["res.currency"].with_context(active_test=False)
        cls.usd, cls.eur, cls.rub = (Currency.search([("name", "=", code)]) for code in ("USD", "EUR", "RUB"))
        (cls.usd | cls.eur | cls.rub).active = True
        cls.money_company = cls.env["res.company"].create({"name": "Money Test Inc.", "currency_id": cls.usd.id})
        cls.env["res.currency.rate"].create([
            {"name": day, "currency_id": currency.id, "rate": rate, "company_id": cls.money_company.id}
            for day, currency, rate in (
                ("2026-01-01", cls.usd, 1.0),
                ("2026-01-01", cls.rub, 100.0), ("2026-03-01", cls.rub, 80.0),
                ("2026-01-01", cls.eur, 0.5), ("2026-03-01", cls.eur, 0.8),
            )
        ])
        cls.money_campaign = cls.env["utm.campaign"].create({
            "title": "Two-currency fair", "company_id": cls.money_company.id,
        })
        cost_type = cls.env["crm.campaign.cost.type"].create({"name": "Money test booth"})
        cls.env["crm.campaign.cost"].create([
            {"campaign_id": cls.money_campaign.id, "cost_type_id": cost_type.id, "amount": amount,
             "currency_id": currency.id, "date": day, "state": state}
            for amount, currency, day, state in (
                (1000.0, cls.usd, "2026-02-10", "approved"),
                (40000.0, cls.rub, "2026-02-10", "approved"),
                (16000.0, cls.rub, "2026-03-15", "approved"),
                (99999.0, cls.rub, "2026-03-15", "refused"),
            )
        ])
        leads = cls.env["crm.lead"].create([
            {"name": f"Two-currency lead {index}", "type": "opportunity", "campaign_id": cls.money_campaign.id,
             "expected_revenue": 99999.0, "user_id": False}
            for index in range(4)
        ])
        leads[0].action_set_won()
        pricelist = cls.env["product.pricelist"].create({"name": "Money test EUR", "currency_id": cls.eur.id})
        product = cls.env["product.product"].create({"name": "Money test pump", "list_price": 1.0})
        customer = cls.env["res.partner"].create({"name": "Money test customer"})
        orders = cls.env["sale.order"].create([
            {"partner_id": customer.id, "campaign_id": cls.money_campaign.id, "pricelist_id": pricelist.id,
             "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1,
                                            "price_unit": amount, "tax_ids": False})]}
            for amount in (1000.0, 640.0, 5000.0)
        ])
        orders[:2].action_confirm()
        # confirmation stamps today's date: put the orders on fixed dates
        orders[0].date_order = "2026-02-15 10:00:00"
        orders[1].date_order = "2026-03-20 10:00:00"
        orders[2].date_order = "2026-02-15 10:00:00"
        cls.money_orders = orders
        cls.env.flush_all()
