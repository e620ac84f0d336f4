from odoo.fields import Domain
from odoo.tests import tagged

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestConsent(CrmMarketingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.agreed = Partner.create({"name": "ООО Согласие", "email": "yes@soglasie.example.ru", "crm_consent_email": True})
        cls.refused = Partner.create({"name": "ООО Отказ", "email": "no@otkaz.example.ru", "crm_consent_email": False})
        cls.partners = cls.agreed | cls.refused

    def _mailing(self, model, domain):
        return self.env["mailing.mailing"].with_user(self.marketer).create({
            "subject": "Весенние скидки",
            "mailing_model_id": self.env["ir.model"]._get_id(model),
            "mailing_domain": repr(domain),
        })

    def test_partner_mailing_excludes_partners_without_email_consent(self):
        mailing = self._mailing("res.partner", [("id", "in", self.partners.ids)])
        self.assertEqual(mailing._get_recipients(), self.agreed.ids)

    def test_lead_mailing_excludes_leads_of_partners_without_consent(self):
        leads = self.env["crm.lead"].create([
            {"name": "Сделка согласие", "partner_id": self.agreed.id, "email_from": self.agreed.email,
             "user_id": self.marketer.id},
            {"name": "Сделка отказ", "partner_id": self.refused.id, "email_from": self.refused.email,
             "user_id": self.marketer.id},
            {"name": "Заявка без карточки", "email_from": "web@form.example.ru", "user_id": self.marketer.id},
        ])
        mailing = self._mailing("crm.lead", [("id", "in", leads.ids)])
        self.assertEqual(sorted(mailing._get_recipients()), sorted((leads[0] | leads[2]).ids))

    def test_reachable_domain_by_channel(self):
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.search(Partner._get_reachable_domain("email") & Domain("id", "in", self.partners.ids)),
                         self.agreed)
        self.env["mail.blacklist"]._add(self.agreed.email)
        self.assertFalse(Partner.search(Partner._get_reachable_domain("email") & Domain("id", "in", self.partners.ids)))
