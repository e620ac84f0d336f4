import { registry } from "@web/core/registry";
import { displayedText, expected, screenChecks } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * A customer files a service request on the portal: the home shows the requests
 * entry (no request yet), the form offers the products the test expects, the
 * description typed is shown on the request's page. Values: tests/test_tours.py.
 * No text of ours in the triggers: the tour runs in Russian and in English.
 */
registry.category("web_tour.tours").add("crm_service_portal_request_tour", {
    steps: () => [
        {
            content: "the portal home shows the service requests entry",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/service-requests']",
        },
        ...screenChecks("portal_home"),
        {
            content: "open the service requests",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/service-requests']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "create a new request",
            trigger: "a[href='/my/service-requests/new']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the form has a description box",
            trigger: "form[action='/my/service-requests/new'] textarea[name='description']",
        },
        {
            content: "the product list offers exactly the expected products",
            trigger: "form[action='/my/service-requests/new'] select[name='product_id']",
            run() {
                const offered = [...this.anchor.querySelectorAll("option")]
                    .map((option) => option.value)
                    .filter(Boolean)
                    .map(Number)
                    .sort((a, b) => a - b);
                const wanted = [...expected("product_ids")].sort((a, b) => a - b);
                if (JSON.stringify(offered) !== JSON.stringify(wanted)) {
                    throw new Error(`products offered ${offered}, expected ${wanted}`);
                }
            },
        },
        {
            content: "type the subject",
            trigger: "form[action='/my/service-requests/new'] input[name='subject']",
            run: `edit ${expected("subject")}`,
        },
        {
            content: "choose the product",
            trigger: "form[action='/my/service-requests/new'] select[name='product_id']",
            run: `select ${expected("product_id")}`,
        },
        {
            content: "describe the problem",
            trigger: "form[action='/my/service-requests/new'] textarea[name='description']",
            run: `edit ${expected("description")}`,
        },
        ...screenChecks("portal_request_new"),
        {
            content: "submit the request",
            trigger: "form[action='/my/service-requests/new'] button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the request's page shows the description",
            trigger: ".o_crm_service_ticket_description",
            run() {
                const shown = displayedText(this.anchor);
                if (shown !== expected("description")) {
                    throw new Error(`description shown "${shown}", expected "${expected("description")}"`);
                }
            },
        },
        ...screenChecks("portal_request"),
    ],
});
