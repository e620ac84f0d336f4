import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { formatDateTime } from "@web/views/fields/formatters";
import { screenshotSteps } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * A ticket and its SLA: the deadline and status on the SLA tab; raising the
 * priority applies the stricter policy; moving the stage keeps the deadline.
 * The test opens the ticket; data and checks: tests/test_tours.py.
 */
registry.category("web_tour.tours").add("crm_service_ticket_sla_tour", {
    steps: () => [
        {
            content: "open the SLA tab",
            trigger: ".o_form_view .o_notebook_headers a[name='sla']",
            run: "click",
        },
        {
            content: "the normal policy applies",
            trigger: ".o_field_widget[name='sla_policy_id']:contains('Тур: обычный')",
        },
        {
            content: "the ticket is in time",
            trigger: ".o_field_widget[name='sla_status']:contains('In Time')",
        },
        {
            // the deadline's text depends on the day, the hour and the language:
            // compare it with the stored value formatted as the field does
            content: "the resolution deadline shown is the ticket's deadline",
            trigger: ".o_field_widget[name='sla_resolve_deadline'] span:not(:empty)",
            async run() {
                const ticketId = Number(window.location.pathname.split("/").pop());
                const [ticket] = await rpc("/web/dataset/call_kw/crm.service.ticket/read", {
                    model: "crm.service.ticket",
                    method: "read",
                    args: [[ticketId], ["sla_resolve_deadline"]],
                    kwargs: {},
                });
                const expected = formatDateTime(deserializeDateTime(ticket.sla_resolve_deadline), {
                    numeric: false,
                    showSeconds: false,
                    showTime: true,
                    showDate: true,
                });
                const shown = this.anchor.textContent.trim();
                if (!expected || shown !== expected) {
                    throw new Error(`resolution deadline shown "${shown}", expected "${expected}"`);
                }
            },
        },
        ...screenshotSteps("ticket_sla", ".o_notebook"),
        {
            content: "the customer calls again: make it urgent",
            trigger: ".o_field_widget[name='priority'] a.o_priority_star[aria-label='Urgent']",
            run: "click",
        },
        {
            content: "the urgent policy applies",
            trigger: ".o_form_saved .o_field_widget[name='sla_policy_id']:contains('Тур: срочный')",
        },
        {
            content: "take the ticket into work",
            trigger: ".o_form_view .o_statusbar_status button:contains('In Progress')",
            run: "click",
        },
        {
            content: "the ticket is in progress",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('In Progress')",
        },
        {
            content: "still in time",
            trigger: ".o_form_saved .o_field_widget[name='sla_status']:contains('In Time')",
        },
        ...screenshotSteps("ticket_sla_urgent", ".o_notebook"),
    ],
});
