import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/core/utils/numbers";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The sales head's dashboard: key figures and simple bar charts (plain HTML/CSS,
 * no chart library), all from one call to crm.analytics.dashboard.get_dashboard_data.
 */
export class CrmAnalyticsDashboard extends Component {
    static template = "crm_analytics.Dashboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ period: "year", teamId: false, data: null, loading: true });
        this.periods = [
            ["month", _t("This Month")],
            ["quarter", _t("This Quarter")],
            ["year", _t("This Year")],
        ];
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        this.state.data = await this.orm.call("crm.analytics.dashboard", "get_dashboard_data", [], {
            period: this.state.period,
            team_id: this.state.teamId || false,
        });
        this.state.loading = false;
    }

    async onPeriodChange(ev) {
        this.state.period = ev.target.value;
        await this.load();
    }

    async onTeamChange(ev) {
        this.state.teamId = parseInt(ev.target.value) || false;
        await this.load();
    }

    money(value) {
        const currency = this.state.data.currency;
        const amount = formatFloat(value || 0, { digits: [false, 0] });
        return currency.position === "before" ? `${currency.symbol} ${amount}` : `${amount} ${currency.symbol}`;
    }

    number(value, digits = 0) {
        return value === null || value === undefined ? "—" : formatFloat(value, { digits: [false, digits] });
    }

    /** What the plan counts follows the CRM setting: won deals or confirmed orders. */
    get planLabel() {
        return this.state.data.kpis.plan_source === "sale_orders"
            ? _t("Plan achieved (orders confirmed)")
            : _t("Plan achieved (deals won)");
    }

    planValue(achieved, target, rate) {
        if (!target) {
            return _t("No target");
        }
        return _t("%(achieved)s of %(target)s (%(rate)s %)", {
            achieved: this.money(achieved),
            target: this.money(target),
            rate: this.number(rate, 1),
        });
    }

    barWidth(value, rows, key) {
        const max = Math.max(...rows.map((row) => row[key] || 0), 0);
        return max ? `${Math.max(2, Math.round((100 * (value || 0)) / max))}%` : "0%";
    }

    openReport(xmlId) {
        this.action.doAction(xmlId);
    }
}

registry.category("actions").add("crm_analytics.dashboard", CrmAnalyticsDashboard);
