from odoo import api, models
from odoo.exceptions import AccessError

SERVICE_AGENT = "crm_service.group_crm_service_agent"
SERVICE_MANAGER = "crm_service.group_crm_service_manager"


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _crm_service_check_group(self, group_xmlid=SERVICE_AGENT):
        """Refuse a service-desk button to a user outside the group.

        Public methods are callable over RPC by anyone with read access to the model (portal
        users read their tickets): the buttons check the caller's group themselves instead
        of relying on the view hiding them. Call it as ``self.env["res.users"]._crm_service_check_group()``
        so that ``self.env`` is the caller's (``env.user`` itself is always a superuser record).
        """
        if self.env.su or self.env.user.has_group(group_xmlid):
            return
        group = self.env.ref(group_xmlid)
        raise AccessError(self.env._(
            "Only members of the service desk group %(group)s may do this.", group=group.sudo().full_name))
