import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The customer's timeline over res.partner.crm_timeline_get: the newest entries
 * of every source merged, a type filter and "Load more" (when `paging`).
 * Changing `reloadKey` reloads the first page.
 */
export class CrmTimeline extends Component {
    static template = "crm_core.CrmTimeline";
    static props = {
        partnerId: Number,
        pageSize: { type: Number, optional: true },
        paging: { type: Boolean, optional: true },
        reloadKey: { type: String, optional: true },
    };
    static defaultProps = { pageSize: 10, paging: false };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ entries: [], labels: {}, hasMore: false, loaded: false, type: "" });
        onWillStart(() => this.load());
        onWillUpdateProps((nextProps) => {
            if (nextProps.partnerId !== this.props.partnerId || nextProps.reloadKey !== this.props.reloadKey) {
                return this.load({ props: nextProps });
            }
        });
    }

    async load({ append = false, props = this.props } = {}) {
        const offset = append ? this.state.entries.length : 0;
        const page = await this.orm.call("res.partner", "crm_timeline_get", [[props.partnerId]], {
            types: this.state.type ? [this.state.type] : null,
            offset,
            limit: props.pageSize,
        });
        Object.assign(this.state, {
            entries: append ? [...this.state.entries, ...page.entries] : page.entries,
            labels: page.labels || {},
            hasMore: page.has_more,
            loaded: true,
        });
    }

    get typeOptions() {
        return Object.entries(this.state.labels);
    }

    onTypeChange(ev) {
        this.state.type = ev.target.value;
        return this.load();
    }

    loadMore() {
        return this.load({ append: true });
    }

    formatDate(value) {
        return value ? formatDateTime(deserializeDateTime(value)) : "";
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

/** The full timeline of one customer, opened by res.partner.action_crm_open_timeline. */
export class CrmTimelineAction extends Component {
    static template = "crm_core.CrmTimelineAction";
    static components = { Layout, CrmTimeline };
    static props = { ...standardActionServiceProps };

    get partnerId() {
        const { context = {}, params = {} } = this.props.action;
        return params.partner_id || context.active_id || false;
    }
}

registry.category("actions").add("crm_core.partner_timeline", CrmTimelineAction);
