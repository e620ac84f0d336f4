import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { CrmTimeline } from "./crm_timeline";

/**
 * The customer's latest timeline entries right on the partner form (CRM tab),
 * every source at once; "Open Timeline" opens the full timeline (client action
 * with the type filter and paging) over the same component.
 */
export class CrmPartnerTimeline extends Component {
    static template = "crm_core.CrmPartnerTimeline";
    static components = { CrmTimeline };
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
    }

    /** Changes when the customer's history does (a call logged…): the list reloads. */
    get reloadKey() {
        const { crm_interaction_count, crm_last_interaction_date, crm_open_deal_count } = this.props.record.data;
        return JSON.stringify([crm_interaction_count, String(crm_last_interaction_date), crm_open_deal_count]);
    }

    async openTimeline() {
        const action = await this.orm.call("res.partner", "action_crm_open_timeline", [
            [this.props.record.resId],
        ]);
        await this.action.doAction(action);
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
