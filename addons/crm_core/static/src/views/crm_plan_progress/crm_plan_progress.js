import { Component, onMounted, useState } from "@odoo/owl";
import { crmKanbanView } from "@crm/views/crm_kanban/crm_kanban_view";
import { useService } from "@web/core/utils/hooks";
import { formatMonetary } from "@web/views/fields/formatters";

/**
 * "My plan: 5 of 10 deals won" ("orders confirmed" when the plan counts orders;
 * labels built and translated server side) counters in a bar above the pipeline's columns,
 * one per sales target of the user (their own, then their teams') running
 * today. Clicking one opens the targets.
 */
export class CrmPlanProgress extends Component {
    static template = "crm_core.CrmPlanProgress";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ lines: [] });
        // loaded after the pipeline is shown: the counters never delay nor break the kanban
        onMounted(() => this.load());
    }

    async load() {
        try {
            this.state.lines = await this.orm.silent.call("crm.sales.plan.line", "get_pipeline_progress", []);
        } catch {
            this.state.lines = [];
        }
    }

    barWidth(rate) {
        return `width: ${Math.max(0, Math.min(rate, 100))}%`;
    }

    amount(value, currencyId) {
        return formatMonetary(value, { currencyId });
    }

    openTargets() {
        this.action.doAction("crm_core.crm_sales_plan_line_action_my_targets");
    }
}

crmKanbanView.Controller.components = {
    ...crmKanbanView.Controller.components,
    CrmPlanProgress,
};
crmKanbanView.Controller.template = "crm_core.CrmKanbanView";
