from lxml import etree

from odoo.fields import Command, Domain
from odoo.tests import tagged

from .common import CrmMarketingCommon


@tagged("post_install", "-at_install")
class TestConsent(CrmMarketingCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.agreed = Partner.create(
            {"name": "ООО Согласие", "email": "yes@soglasie.example.ru", "crm_consent_email": True})
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

    def _list_with_contacts(self, emails):
        return self.env["mailing.list"].create({
            "name": "Рассылка дилерам",
            "contact_ids": [Command.create({"name": email.split("@")[0], "email": email}) for email in emails],
        })

    def _traces(self, mailing):
        return {trace.email: (trace.trace_status, trace.failure_type) for trace in mailing.mailing_trace_ids}

    def test_list_mailing_leaves_out_addresses_without_consent_when_sending(self):
        self.env["mail.blacklist"]._add("stop@blok.example.ru")
        mailing_list = self._list_with_contacts([
            self.agreed.email, self.refused.email, "reader@news.example.ru", "stop@blok.example.ru"])
        mailing = self.env["mailing.mailing"].create({
            "subject": "Новинки сезона",
            "body_html": "<p>Новинки</p>",
            "mailing_model_id": self.env["ir.model"]._get_id("mailing.list"),
            "contact_list_ids": [Command.link(mailing_list.id)],
        })
        mailing.action_send_mail()
        traces = self._traces(mailing)
        self.assertEqual(traces[self.refused.email], ("cancel", "mail_no_consent"),
                         "the partner never gave e-mail consent")
        self.assertEqual(traces["stop@blok.example.ru"], ("cancel", "mail_bl"))
        self.assertNotEqual(traces[self.agreed.email][0], "cancel")
        self.assertNotEqual(traces["reader@news.example.ru"][0], "cancel",
                            "a subscriber unknown as a partner consented by subscribing")
        self.assertEqual(mailing.crm_no_consent_count, 1)
        self.assertFalse(self.env["mail.mail"].search([
            ("mailing_id", "=", mailing.id), ("email_to", "ilike", self.refused.email)]))

    def test_no_consent_count_shown_as_label_and_number(self):
        """The count follows its label, so that no plural form of a noun is needed."""
        arch = etree.fromstring(self.env["mailing.mailing"].get_views([(False, "form")])["views"]["form"]["arch"])
        span = arch.xpath("//span[@name='crm_no_consent_text']")[0]
        self.assertTrue(span.text.strip().endswith(":"), span.text)
        self.assertEqual(span.find("field").get("name"), "crm_no_consent_count")
        self.assertEqual((span.find("field").tail or "").strip(), ")")

    def test_consent_withdrawn_after_selection_is_checked_when_sending(self):
        mailing = self._mailing("res.partner", [("id", "in", self.partners.ids)])
        mailing.body_html = "<p>Скидки</p>"
        recipients = mailing._get_recipients()
        self.assertEqual(recipients, self.agreed.ids)
        self.agreed.crm_consent_email = False
        mailing.action_send_mail(res_ids=recipients)
        self.assertEqual(self._traces(mailing), {self.agreed.email: ("cancel", "mail_no_consent")})
        self.assertEqual(mailing.crm_no_consent_count, 1)

    def test_withdrawn_consent_opts_out_of_lists_at_once(self):
        mailing_list = self._list_with_contacts([self.agreed.email, "reader@news.example.ru"])
        other_list = self._list_with_contacts([self.agreed.email])
        subscriptions = (mailing_list | other_list).subscription_ids
        self.assertFalse(any(subscriptions.mapped("opt_out")))
        self.agreed.with_user(self.marketer).crm_consent_email = False
        opted_out = subscriptions.filtered("opt_out")
        self.assertEqual(opted_out.contact_id.mapped("email_normalized"), [self.agreed.email_normalized] * 2)
        self.assertEqual(len(opted_out), 2, "every list of the address, not the reader's")
        # an address another partner still agrees to stays subscribed
        twin = self.env["res.partner"].create({"name": "Двойник", "email": "twin@soglasie.example.ru",
                                               "crm_consent_email": True})
        self.env["res.partner"].create({"name": "Двойник 2", "email": twin.email, "crm_consent_email": True})
        twin_list = self._list_with_contacts([twin.email])
        twin.crm_consent_email = False
        self.assertFalse(twin_list.subscription_ids.opt_out)

    def test_consent_is_denied_to_a_blacklisted_partner(self):
        """Odoo's blacklist (where mass_mailing records a contact's opt-out) overrides the consent flag."""
        Partner = self.env["res.partner"]
        in_partners = Domain("id", "in", self.partners.ids)
        self.assertEqual(Partner.search(Partner._get_consent_domain("email") & in_partners), self.agreed)
        self.env["mail.blacklist"]._add(self.agreed.email)
        self.assertFalse(Partner.search(Partner._get_consent_domain("email") & in_partners))
        self.assertEqual(Partner._get_emails_without_consent("email", [self.agreed.email_normalized]),
                         {self.agreed.email_normalized})
        mailing = self._mailing("res.partner", [("id", "in", self.partners.ids)])
        self.assertFalse(mailing._get_recipients())

    def test_phone_consent_is_denied_to_a_blacklisted_number(self):
        Partner = self.env["res.partner"]
        caller = Partner.create({"name": "ООО Звонок", "phone": "+7 495 123-45-67", "crm_consent_phone": True})
        in_caller = Domain("id", "=", caller.id)
        self.assertEqual(Partner.search(Partner._get_consent_domain("phone") & in_caller), caller)
        self.env["phone.blacklist"].sudo()._add([caller.phone_sanitized])
        self.env.flush_all()  # Odoo searches the phone blacklist in SQL
        self.assertFalse(Partner.search(Partner._get_consent_domain("phone") & in_caller))
        self.assertFalse(Partner.search(Partner._get_reachable_domain("phone") & in_caller))

    def test_consent_fails_closed_for_a_channel_without_a_consent_field(self):
        Partner = self.env["res.partner"]
        self.agreed.crm_consent_sms = True
        for channel in ("sms", "post", "fax"):
            with self.subTest(channel=channel):
                agreed = Domain("id", "=", self.agreed.id)
                self.assertFalse(Partner.search(Partner._get_consent_domain(channel) & agreed))
                self.assertFalse(Partner.search(Partner._get_reachable_domain(channel)
                                                & Domain("id", "=", self.agreed.id)))
