import { registry } from "@web/core/registry";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { formatDateTime, formatFloatTime } from "@web/views/fields/formatters";
import { displayedText, expected, screenChecks } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * A ticket and its SLA: policy, status, deadlines and working time left on the
 * SLA tab, compared with the values the test computed (tests/test_tours.py);
 * raising the priority applies the stricter policy; moving the stage keeps it
 * in time. No text of ours in the triggers: the tour runs in Russian.
 */

/** The deadline the test computed (UTC, ISO) as the datetime field shows it. */
function deadlineText(key) {
    return formatDateTime(deserializeDateTime(expected(key)), {
        numeric: false,
        showSeconds: false,
        showTime: true,
        showDate: true,
    });
}

function fieldText(root, name) {
    return displayedText(root.querySelector(`.o_field_widget[name='${name}']`));
}

/** Steps checking the SLA tab against the expected values of one policy ("normal", "urgent"). */
function slaSteps(policy) {
    return [
        {
            content: `the ${policy} policy applies`,
            trigger: `.o_form_saved .o_field_widget[name='sla_policy_id']:contains('${expected(`policy_${policy}`)}')`,
        },
        {
            content: `SLA status, deadlines and time left (${policy})`,
            trigger: ".o_form_view .o_notebook .o_field_widget[name='sla_resolve_deadline'] span:not(:empty)",
            run() {
                const form = document.querySelector(".o_form_view");
                const problems = [];
                const check = (what, shown, wanted) => {
                    if (shown !== wanted) {
                        problems.push(`${what}: shown "${shown}", expected "${wanted}"`);
                    }
                };
                check("status", fieldText(form, "sla_status"), expected("status_in_time"));
                check("response due", fieldText(form, "sla_response_deadline"), deadlineText(`response_${policy}`));
                check("resolution due", fieldText(form, "sla_resolve_deadline"), deadlineText(`resolve_${policy}`));
                // the clock runs while the tour does: the time left lies between the target
                // minus the minutes the test allows and the target itself
                const [latest, earliest] = expected(`time_left_${policy}`);
                const left = fieldText(form, "sla_time_left");
                const allowed = [];
                for (let hours = latest; hours >= earliest - 1e-9; hours -= 1 / 60) {
                    allowed.push(formatFloatTime(hours));
                }
                if (!allowed.includes(left)) {
                    problems.push(`time left: shown "${left}", expected one of ${allowed.join(", ")}`);
                }
                if (problems.length) {
                    throw new Error(problems.join("; "));
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("crm_service_ticket_sla_tour", {
    steps: () => [
        {
            content: "open the SLA tab",
            trigger: ".o_form_view .o_notebook_headers a[name='sla']",
            run: "click",
        },
        ...slaSteps("normal"),
        {
            content: "no pause and no escalation yet: each table says what it will list",
            trigger: ".o_form_view .o_crm_service_no_pause:visible",
            run() {
                const form = document.querySelector(".o_form_view");
                if (!form.querySelector(".o_crm_service_no_escalation")?.checkVisibility()) {
                    throw new Error("the escalation log has no empty-state text");
                }
                for (const name of ["pause_ids", "escalation_log_ids"]) {
                    if (form.querySelector(`.o_field_widget[name='${name}']`)?.checkVisibility()) {
                        throw new Error(`the empty table ${name} is shown`);
                    }
                }
            },
        },
        ...screenChecks("ticket_sla", { scrollTo: ".o_notebook" }),
        {
            content: "the customer calls again: make it urgent (the last star)",
            trigger: ".o_form_view .o_field_widget[name='priority'] a.o_priority_star:last-of-type",
            run: "click",
        },
        ...slaSteps("urgent"),
        {
            content: "take the ticket into work",
            trigger: `.o_form_view .o_statusbar_status button[data-value='${expected("stage_in_progress")}']`,
            run: "click",
        },
        {
            content: "the ticket is in progress",
            trigger: `.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='${expected(
                "stage_in_progress"
            )}']`,
        },
        {
            content: "still in time",
            trigger: `.o_form_saved .o_field_widget[name='sla_status']:contains('${expected("status_in_time")}')`,
        },
        ...screenChecks("ticket_sla_urgent", { scrollTo: ".o_notebook" }),
    ],
});
