import { Component, onWillStart, useState } from "@odoo/owl";
import { formatCurrency } from "@web/core/currency";
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
        // what each figure counts: the same definition as the report its card links to
        this.help = {
            won_amount: _t("Expected revenue of the opportunities won in the period (won stage, closing date in the period)."),
            won_lost: _t("Opportunities won / lost in the period, by closing date. Lost deals are archived in Odoo and counted all the same, as in Losses by reason."),
            win_rate: _t("Won deals / (won + lost deals) closed in the period."),
            avg_deal: _t("Average expected revenue of the deals won in the period."),
            cycle: _t("Average number of days from the creation of a won deal to its closing."),
            confirmed: _t("Untaxed amount of the sale orders confirmed in the period, in the company currency."),
            invoiced: _t("Untaxed amount of the customer invoices posted in the period, less credit notes."),
            plan: _t("Achieved amount and target of the confirmed sales plans over the period."),
            pipeline: _t("Expected revenue x probability of the open opportunities today."),
            activities: _t("Activities done in the period / activities overdue today."),
            funnel: _t("Opportunities that entered each stage in the period; conversion: share of the decided stays that moved on to a later stage or ended won; days: average time spent in the stage."),
            losses: _t("Opportunities lost in the period (by closing date), by lost reason."),
            forecast: _t("Forecast error: sum of |won - forecast| / sum of won over the last six months with a month-start forecast (weighted absolute percentage error). 0 % is a perfect forecast; shown as > 100 % when the forecast missed by more than what was won."),
            service: _t("Tickets opened in the period; SLA compliance: share of the closed tickets with an SLA policy whose SLA status is not Breached. Backlog: open tickets today."),
        };
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

    /** An amount in the company currency, formatted as Odoo's monetary fields are. */
    money(value) {
        return formatCurrency(value || 0, this.state.data.currency.id);
    }

    number(value, digits = 0) {
        return value === null || value === undefined || value === false
            ? "—"
            : formatFloat(value, { digits: [false, digits] });
    }

    /** A percentage, or a dash when there is nothing to measure (no "0 %" for "no data"). */
    percent(value, digits = 1) {
        return value === null || value === undefined || value === false
            ? "—"
            : _t("%(value)s %", { value: this.number(value, digits) });
    }

    /** The forecast error, capped for display: beyond 100 % the exact figure says nothing more. */
    forecastError(value) {
        if (value !== null && value !== undefined && value !== false && value > 100) {
            return _t("> %(value)s %", { value: this.number(100, 0) });
        }
        return this.percent(value, 0);
    }

    days(value) {
        return _t("Days in stage: %(days)s", { days: this.number(value, 1) });
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

    /** Opens the report behind a card on the very rows its figures come from. */
    async openReport(report) {
        const action = await this.orm.call("crm.analytics.dashboard", "get_report_action", [report], {
            period: this.state.period,
            team_id: this.state.teamId || false,
        });
        await this.action.doAction(action);
    }
}

registry.category("actions").add("crm_analytics.dashboard", CrmAnalyticsDashboard);
