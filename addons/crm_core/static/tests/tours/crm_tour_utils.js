/**
 * Shared helpers of the CRM suite's tours (run by CrmTourCase.start_crm_tour in
 * Russian at 1366x768 and 1920x1080, see crm_core/tests/common_tour.py).
 *
 * expected(key): a value the test computed; screenChecks(name): untranslated
 * terms, control panel overlaps, then a screenshot. Never match text of ours in
 * a trigger: use name/data-* attributes and classes, compare through expected().
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

/**
 * What the Python test handed to the page before any script ran
 * (CrmTourCase.start_crm_tour, crm_core/tests/common_tour.py): expected values,
 * the browser size, the tour language and our terms that must not show in English.
 */
function tourData() {
    const data = globalThis.crmTourData;
    if (!data) {
        throw new Error(
            "crm_tour_utils: no data from the test; start this tour with CrmTourCase.start_crm_tour()"
        );
    }
    return data;
}

/**
 * expected(key): the value the test computed for this key (expected={...} of
 * start_crm_tour), e.g. a figure formatted by self.tour_format(). Throws on an
 * unknown key, naming the keys the test handed over.
 */
export function expected(key) {
    const values = tourData().expected || {};
    if (!Object.hasOwn(values, key)) {
        const known = Object.keys(values).sort().join(", ") || "none";
        throw new Error(`expected("${key}"): the test handed over no such value (keys: ${known})`);
    }
    return values[key];
}

/** tourSize(): "1366x768" or "1920x1080", the size this run of the tour has. */
export function tourSize() {
    return tourData().size;
}

/** The text a person reads in an element: runs of spaces and newlines collapsed, trimmed. */
export function displayedText(element) {
    // no-break spaces stay: they separate thousands and currency symbols in Russian
    return (element?.textContent || "").replace(/[ \t\n\r\f]+/g, " ").trim();
}

const WORD_START = /^[\p{L}\p{N}_]+/u;
const SKIPPED_TEXT_PARENTS = "script, style, noscript, template, textarea, .o_tour_pointer, [data-crm-tour-ignore]";
let termIndexCache = null;

function bareWords(text) {
    return text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
}

function escapeRegExp(text) {
    // only syntax characters may be escaped in a unicode regular expression
    return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Our terms indexed by their first word: a text is only tried against the terms
 * whose first word it contains at a word start, so thousands of terms stay cheap.
 */
function termIndex() {
    if (termIndexCache) {
        return termIndexCache;
    }
    const byWord = new Map();
    const others = [];
    for (const item of tourData().untranslated || []) {
        const term = typeof item === "string" ? item : item.t;
        const parts = typeof item === "string" ? [item] : item.p;
        const body = parts.map(escapeRegExp).join("[\\s\\S]{1,80}?");
        const first = parts[0].match(WORD_START);
        // a single word of ours ("Deal") is also a word of Odoo's English phrases
        // ("Deal Stage"): it only counts when it is the whole text
        const single = parts.length === 1 && !/\s/.test(parts[0]) ? bareWords(parts[0]) : null;
        if (first) {
            const entry = { term, single, regex: new RegExp(`^(?:${body})(?![\\p{L}\\p{N}_])`, "u") };
            const list = byWord.get(first[0]) || [];
            list.push(entry);
            byWord.set(first[0], list);
        } else {
            others.push({
                term,
                single,
                regex: new RegExp(`(?:${body})(?![\\p{L}\\p{N}_])`, "u"),
            });
        }
    }
    termIndexCache = { byWord, others };
    return termIndexCache;
}

/** The terms of ours that occur as whole phrases in text. */
export function termsIn(text) {
    const { byWord, others } = termIndex();
    const found = new Set();
    for (const match of text.matchAll(/[\p{L}\p{N}_]+/gu)) {
        if (match.index > 0 && /[\p{L}\p{N}_]/u.test(text[match.index - 1])) {
            continue;
        }
        for (const { term, single, regex } of byWord.get(match[0]) || []) {
            if (single ? bareWords(text) === single : regex.test(text.slice(match.index))) {
                found.add(term);
            }
        }
    }
    for (const { term, single, regex } of others) {
        if (single ? bareWords(text) === single : regex.test(text)) {
            found.add(term);
        }
    }
    return [...found];
}

function isShown(element) {
    if (!element || !element.isConnected || element.closest(SKIPPED_TEXT_PARENTS)) {
        return false;
    }
    const options = { checkOpacity: true, checkVisibilityCSS: true, opacityProperty: true, visibilityProperty: true };
    return element.checkVisibility ? element.checkVisibility(options) : element.getClientRects().length > 0;
}

function describe(element) {
    const classes = [...element.classList].slice(0, 3).map((name) => `.${name}`).join("");
    const name = element.getAttribute("name") ? `[name=${element.getAttribute("name")}]` : "";
    const text = displayedText(element).slice(0, 40);
    // no nested template literal: Odoo's minifier drops the space inside it
    const shown = text ? " " + JSON.stringify(text) : "";
    return `<${element.tagName.toLowerCase()}${classes}${name}>${shown}`;
}

/**
 * untranslatedProblems(root, allow): one line per term of ours shown in English
 * in the visible text nodes and the title/placeholder attributes under root.
 */
export function untranslatedProblems(root = document.body, allow = []) {
    const allowed = new Set(allow);
    const problems = new Map();
    const report = (term, element, where) => {
        if (!allowed.has(term) && !problems.has(term)) {
            problems.set(term, `untranslated term "${term}" in ${where} of ${describe(element)}`);
        }
    };
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const shown = new Map();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.nodeValue.replace(/\s+/g, " ").trim();
        const parent = node.parentElement;
        if (!text || !/\p{L}/u.test(text) || !parent) {
            continue;
        }
        if (!shown.has(parent)) {
            shown.set(parent, isShown(parent));
        }
        if (shown.get(parent)) {
            for (const term of termsIn(text)) {
                report(term, parent, "the text");
            }
        }
    }
    for (const element of root.querySelectorAll("[title], [placeholder]")) {
        if (!isShown(element)) {
            continue;
        }
        for (const attribute of ["title", "placeholder"]) {
            const value = (element.getAttribute(attribute) || "").replace(/\s+/g, " ").trim();
            for (const term of value ? termsIn(value) : []) {
                report(term, element, `the ${attribute}`);
            }
        }
    }
    return [...problems.values()];
}

const CONTROL_SELECTOR = [
    "button",
    ".btn",
    ".o_searchview",
    ".o_breadcrumb",
    ".o_cp_pager",
    "[class*='o_crm']",
].join(", ");
// adjacent buttons of a group share their 1px border
const OVERLAP_TOLERANCE = 1.5;

function boxesIntersect(a, b) {
    const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return width > OVERLAP_TOLERANCE && height > OVERLAP_TOLERANCE;
}

/** Number of lines the content of an element takes (1 when it does not wrap). */
function lineCount(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const rects = [...range.getClientRects()]
        .filter((rect) => rect.width > 0 && rect.height > 0)
        .sort((a, b) => a.top - b.top);
    let lines = 0;
    let lineBottom = -Infinity;
    for (const rect of rects) {
        if (rect.top >= lineBottom - 1) {
            lines += 1;
            lineBottom = rect.bottom;
        } else {
            lineBottom = Math.max(lineBottom, rect.bottom);
        }
    }
    return lines;
}

/**
 * controlPanelProblems(): one line per pair of intersecting controls of the
 * control panel (buttons, search bar, breadcrumbs, pager, elements of ours
 * "o_crm*") and per button whose text wraps.
 */
export function controlPanelProblems() {
    const problems = [];
    for (const panel of document.querySelectorAll(".o_control_panel")) {
        const controls = [...panel.querySelectorAll(CONTROL_SELECTOR)].filter(
            (element) =>
                isShown(element) &&
                !element.closest(".dropdown-menu, .o-dropdown--menu, .o_popover") &&
                element.getBoundingClientRect().width > 0 &&
                element.getBoundingClientRect().height > 0
        );
        const boxes = controls.map((element) => element.getBoundingClientRect());
        for (let i = 0; i < controls.length; i++) {
            for (let j = i + 1; j < controls.length; j++) {
                const [a, b] = [controls[i], controls[j]];
                if (a.contains(b) || b.contains(a)) {
                    continue;
                }
                if (boxesIntersect(boxes[i], boxes[j])) {
                    problems.push(`control panel: ${describe(a)} overlaps ${describe(b)}`);
                }
            }
        }
        for (const button of controls.filter((element) => element.matches("button, .btn"))) {
            if (displayedText(button) && lineCount(button) > 1) {
                problems.push(`control panel: the text of ${describe(button)} wraps onto several lines`);
            }
        }
    }
    return problems;
}

/**
 * screenChecks(name, {allow, scrollTo}): steps that fail when the page shows a
 * term of ours in English (allow: terms expected here, e.g. in the test's own
 * data) or when controls of the control panel overlap or wrap, then take the
 * screenshot `name` (saved as <name>_<size>.png with CRM_SCREENSHOTS).
 */
export function screenChecks(name, { allow = [], scrollTo = null } = {}) {
    return [
        {
            content: `screen checks ${name}`,
            trigger: "body:not(:has(.o_loading_indicator))",
            run() {
                const problems = [...untranslatedProblems(document.body, allow), ...controlPanelProblems()];
                if (problems.length) {
                    throw new Error(
                        `screenChecks("${name}") at ${tourSize()}:\n- ${problems.slice(0, 15).join("\n- ")}`
                    );
                }
            },
        },
        ...screenshotSteps(name, scrollTo),
    ];
}
