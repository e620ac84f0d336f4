import { Component, useState } from "@odoo/owl";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * The customer's latest timeline entries right on the partner form (CRM tab),
 * loaded at once with the default filter (every source); "Open Timeline" opens
 * the full screen with its type filter and paging.
 */
export class CrmPartnerTimeline extends Component {
    static template = "crm_core.CrmPartnerTimeline";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ entries: [], labels: {}, hasMore: false, loaded: false });
        // loaded with the form, then again when the customer's history changes (a call logged…)
        useRecordObserver((record) => {
            const { crm_interaction_count, crm_last_interaction_date, crm_open_deal_count } = record.data;
            return this.load(record.resId, [crm_interaction_count, crm_last_interaction_date, crm_open_deal_count]);
        });
    }

    get limit() {
        return 10;
    }

    async load(partnerId) {
        // other arguments: the record's values read to be told of their changes
        if (!partnerId) {
            return;
        }
        const page = await this.orm.call("res.partner", "crm_timeline_get", [[partnerId]], {
            limit: this.limit,
        });
        Object.assign(this.state, {
            entries: page.entries,
            labels: page.labels || {},
            hasMore: page.has_more,
            loaded: true,
        });
    }

    formatDate(value) {
        return value ? formatDateTime(deserializeDateTime(value)) : "";
    }

    async openTimeline() {
        const action = await this.orm.call("res.partner", "action_crm_open_timeline", [
            [this.props.record.resId],
        ]);
        await this.action.doAction(action);
    }

    async openEntry(entry) {
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: entry.res_model,
            res_id: entry.res_id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

registry.category("view_widgets").add("crm_partner_timeline", {
    component: CrmPartnerTimeline,
    fieldDependencies: [
        { name: "crm_interaction_count", type: "integer" },
        { name: "crm_last_interaction_date", type: "datetime" },
        { name: "crm_open_deal_count", type: "integer" },
    ],
});
