import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";

/**
 * Personal data export: the server writes the privacy log and streams the xlsx
 * file, so the file is asked for with a POST carrying the session's CSRF token
 * (``download`` adds it), never with a GET.
 */
export async function crmPrivacyExportAction(env, action) {
    const { wizard_id: wizardId } = action.params;
    await download({ url: `/crm_core/privacy/export/${wizardId}`, data: {} });
}

registry.category("actions").add("crm_core_privacy_export", crmPrivacyExportAction);
