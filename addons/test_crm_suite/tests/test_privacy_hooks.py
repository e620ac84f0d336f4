from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPrivacyHooksAcrossAddons(TransactionCase):
    """Each model of marketing, service and analytics that holds personal data answers a request about
    Anna with Anna's records only, and its anonymization leaves Boris's records as they are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "phx_manager", groups="sales_team.group_sale_manager",
                                    name="Ольга Руководитель")
        cls.anna, cls.boris = cls.env["res.partner"].create([{
            "name": name, "email": email, "crm_abc_class": "A", "crm_rfm_segment": "champions",
        } for name, email in (("Анна Хукова", "anna.hooks@example.ru"), ("Борис Хуков", "boris.hooks@example.ru"))])
        campaign = cls.env["utm.campaign"].create({"name": "Весна"})
        tier = cls.env["crm.service.sla.tier"].create({"name": "Стандарт"})
        cls.records = {}
        for person, other in ((cls.anna, cls.boris), (cls.boris, cls.anna)):
            ticket = cls.env["crm.service.ticket"].create({
                "name": f"Тикет {person.name}", "partner_id": person.id,
                "description": f"<p>Адрес {person.name}</p>",
                # the other customer in copy: their address only is theirs on this ticket
                "email_cc": f'"{other.name}" <{other.email}>, "Марк" <mark@example.ru>'})
            cls.records[person] = {
                "crm.segment": cls.env["crm.segment"].create({
                    "name": f"Сегмент {person.name}", "mode": "frozen", "partner_ids": [Command.set(person.ids)]}),
                "mailing.contact": cls.env["mailing.contact"].create({
                    "name": person.name, "email": person.email, "company_name": "ИП"}),
                "mailing.trace": cls.env["mailing.trace"].create({
                    "model": "res.partner", "res_id": person.id, "email": person.email}),
                "crm.lead": cls.env["crm.lead"].create({
                    "name": f"Заявка {person.name}", "partner_id": person.id, "campaign_id": campaign.id}),
                "crm.service.ticket": ticket,
                "mail.message": ticket.message_post(
                    body=f"Сообщение {person.name}", author_id=person.id, message_type="comment",
                    subtype_xmlid="mail.mt_comment"),
                "crm.service.agreement": cls.env["crm.service.agreement"].create({
                    "name": f"Договор {person.name}", "partner_id": person.id, "sla_tier_id": tier.id,
                    "date_start": "2026-01-01"}),
            }

    def _found(self, model_name, person):
        sheets = self.env[model_name].with_user(self.manager)._crm_privacy_lookup(person, [person.email_normalized])
        return {sheet.label: self.env[model_name].sudo().with_context(active_test=False).search(sheet.domain)
                for sheet in sheets}

    def test_each_model_finds_the_persons_records_only(self):
        for model_name, anna_record in self.records[self.anna].items():
            boris_record = self.records[self.boris][model_name]
            with self.subTest(model=model_name):
                found = self._found(model_name, self.anna)
                every = self.env[model_name].sudo().browse().union(*found.values())
                self.assertIn(anna_record, every)
                if model_name != "crm.service.ticket":
                    self.assertNotIn(boris_record, every)
        tickets = self._found("crm.service.ticket", self.anna)
        self.assertEqual(tickets["Tickets"], self.records[self.anna]["crm.service.ticket"])
        self.assertEqual(tickets["Tickets in Copy"], self.records[self.boris]["crm.service.ticket"])
        self.assertEqual(self._found("res.partner", self.anna)["Customer Profile"], self.anna)
        lead_sheet = self.env["crm.lead"]._crm_privacy_lookup(self.anna, [])[0]
        self.assertIn("campaign_id", lead_sheet.fields, "marketing adds the campaign to crm_core's sheet")

    def test_anonymize_touches_the_persons_share_only(self):
        boris = self.records[self.boris]
        names = {"crm.segment": ["name", "partner_ids"], "mailing.contact": ["name", "email", "company_name"],
                 "mailing.trace": ["email"], "crm.lead": ["name", "partner_id", "email_from", "campaign_id"],
                 "crm.service.ticket": ["name", "email_from", "description"], "mail.message": ["body"],
                 "crm.service.agreement": ["name", "partner_id"]}
        before = {model_name: boris[model_name].read(names[model_name]) for model_name in names}
        boris_before = self.boris.read(["name", "email", "crm_abc_class", "crm_rfm_segment"])

        wizard = self.env["privacy.lookup.wizard"].with_user(self.manager).create({
            "crm_partner_id": self.anna.id, "name": self.anna.name, "email": self.anna.email})
        wizard.action_lookup()
        wizard.action_crm_anonymize()

        anna = self.records[self.anna]
        self.assertFalse(anna["crm.segment"].partner_ids)
        self.assertFalse(anna["mailing.contact"].email or anna["mailing.contact"].company_name)
        self.assertFalse(anna["mailing.trace"].email)
        self.assertFalse(anna["crm.service.ticket"].email_from or anna["crm.service.ticket"].description)
        self.assertFalse(anna["mail.message"].body)
        self.assertEqual(anna["crm.service.agreement"].partner_id, self.anna, "contracts are kept")
        self.assertFalse(self.anna.crm_abc_class or self.anna.crm_rfm_segment)
        # Boris's ticket loses Anna's address in copy, nothing else
        self.assertEqual(boris["crm.service.ticket"].email_cc, '"Марк" <mark@example.ru>')
        self.env.invalidate_all()
        for model_name, field_names in names.items():
            with self.subTest(model=model_name):
                self.assertEqual(boris[model_name].read(field_names), before[model_name])
        self.assertEqual(self.boris.read(["name", "email", "crm_abc_class", "crm_rfm_segment"]), boris_before)
