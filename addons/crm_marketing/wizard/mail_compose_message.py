from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _process_mail_values_state(self, mail_values_dict):
        """Say why a mass mailing skipped a recipient: Odoo cancels the ones on
        the opt-out list as opted out; those without consent get their own reason."""
        mail_values_dict = super()._process_mail_values_state(mail_values_dict)
        mailing = self.mass_mailing_id
        if not mailing or mailing.mailing_type != "mail":
            return mail_values_dict
        opted_out = {res_id: values for res_id, values in mail_values_dict.items()
                     if values.get("failure_type") == "mail_optout"}
        if not opted_out:
            return mail_values_dict
        recipients_info = self._get_recipients_data(opted_out)
        emails = {email for info in recipients_info.values() for email in info["mail_to_normalized"]}
        no_consent = self.env["res.partner"]._get_emails_without_consent("email", emails)
        for res_id, values in opted_out.items():
            recipient_emails = recipients_info[res_id]["mail_to_normalized"]
            if recipient_emails and all(email in no_consent for email in recipient_emails):
                values["failure_type"] = "mail_no_consent"
        return mail_values_dict
