from odoo import http
from odoo.exceptions import AccessError
from odoo.http import content_disposition, request

from ..wizard.privacy_lookup_wizard import XLSX_MIMETYPE


class CrmPrivacyExport(http.Controller):
    """Streams a personal data export: the file is built on request and never stored.

    The export writes the privacy log: a POST with the session's CSRF token (the web client's
    ``download``), never a GET a link or an image on another site could trigger."""

    @http.route("/crm_core/privacy/export/<int:wizard_id>", type="http", auth="user", methods=["POST"], csrf=True)
    def crm_privacy_export(self, wizard_id, **_kwargs):
        wizard = request.env["privacy.lookup.wizard"].browse(wizard_id).exists()
        if not wizard:
            raise request.not_found()
        try:
            wizard.check_access("read")
        except AccessError:
            raise request.not_found() from None
        # a request's download is for the user who made it (Odoo does not restrict transient records)
        if wizard.create_uid != request.env.user:
            raise request.not_found()
        filename, content = wizard._crm_privacy_export()
        return request.make_response(content, headers=[
            ("Content-Type", XLSX_MIMETYPE),
            ("Content-Disposition", content_disposition(filename)),
            ("Cache-Control", "no-store"),
        ])
