/**
 * Shared helpers of the CRM suite's tours.
 *
 * screenshotSteps(name, scrollTo): two steps that ask the Python test for a
 * screenshot of the current screen (see crm_core/tests/common_tour.py) and wait
 * until it is taken. The test always answers, whether or not screenshots are
 * asked for. scrollTo (a CSS selector, optional) is scrolled to the top first.
 */
export function screenshotSteps(name, scrollTo = null) {
    return [
        {
            content: `screenshot ${name}`,
            trigger: "body:not(:has(.o_loading_indicator))",
            run() {
                if (scrollTo) {
                    const target = document.querySelector(scrollTo);
                    if (target) {
                        target.scrollIntoView({ block: "start" });
                        // keep what the sticky control panel would hide in view
                        target.closest(".o_content")?.scrollBy(0, -120);
                    }
                }
                console.log(`crm_screenshot:${name}`);
            },
        },
        {
            content: `screenshot ${name} taken`,
            trigger: `body[data-crm-screenshot='${name}']`,
        },
    ];
}

/**
 * revealSmartButtonStep(buttonName): the form's button box shows as many smart
 * buttons as fit and moves the others under "More"; this step opens "More" only
 * when the button is not shown, so the next step can click it either way.
 */
export function revealSmartButtonStep(buttonName) {
    return {
        content: `show the smart button ${buttonName}`,
        trigger: ".o_form_view .o-form-buttonbox",
        run() {
            if (!document.querySelector(`.o-form-buttonbox button[name='${buttonName}']`)) {
                document.querySelector(".o_form_view .o-form-buttonbox .o_button_more").click();
            }
        },
    };
}
