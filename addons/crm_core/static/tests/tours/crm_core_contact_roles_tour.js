import { registry } from "@web/core/registry";
import { displayedText, expected, screenChecks } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * Configuration > Contact Roles: the roles a sales manager gives to a customer's
 * people (director, purchaser, accountant…), in the order they are offered, with
 * their names and descriptions in the user's language. Values: tests/test_tours.py.
 */
registry.category("web_tour.tours").add("crm_core_contact_roles_tour", {
    steps: () => [
        {
            content: "the roles are listed",
            trigger: ".o_list_view .o_data_row",
            run() {
                const rows = [...document.querySelectorAll(".o_list_view .o_data_row")].map((row) => [
                    displayedText(row.querySelector("td[name='name']")),
                    displayedText(row.querySelector("td[name='description']")),
                ]);
                const roles = expected("roles");
                if (JSON.stringify(rows) !== JSON.stringify(roles)) {
                    throw new Error(`roles: page shows ${JSON.stringify(rows)}, test expects ${JSON.stringify(roles)}`);
                }
            },
        },
        ...screenChecks("contact_roles"),
    ],
});
