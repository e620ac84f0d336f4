"""Browser tours of the CRM suite: in Russian, at two screen sizes, on values the test computed.

``CrmTourCase.start_crm_tour(url, tour_name, login, expected={...})`` runs a tour once per
size of ``tour_sizes`` (a new Chromium each time, Odoo's ``browser_size``), for a user whose
language is ``tour_lang`` (activated with our addons' translations once per class).  Data the
tour changed at one size is rolled back before the next size, so each run sees the same data.
Before any script of the page runs, the browser receives ``globalThis.crmTourData``:
``expected`` (the JSON-able dict of the test), ``size`` and ``untranslated`` (our msgids
whose Russian differs, which must not show in English); ``crm_tour_utils.js`` reads it
(``expected(key)``, ``screenChecks(name)``).  ``tour_format`` formats a value as the web
client shows it in ``tour_lang`` (thousands separator, decimal comma, currency, date).

A tour asks for a screenshot with ``screenChecks(name)`` (or ``screenshotSteps(name)``)
of ``crm_core/static/tests/tours/crm_tour_utils.js``: it logs ``crm_screenshot:<name>``
on the console and waits until the test marks ``<body data-crm-screenshot="<name>">``.
The test catches the console line, captures the page through the DevTools protocol
(``Page.captureScreenshot``) when the environment variable ``CRM_SCREENSHOTS`` is set,
then marks the body so that the tour goes on.  Without the variable nothing is
written, and the tour does not wait longer than one round trip.

``CRM_SCREENSHOTS=1`` writes ``<addon>/static/description/screenshots/<name>_<size>.png``
(e.g. ``pipeline_1366x768.png``); any other value is a directory to write into.
"""

import base64
import functools
import json
import logging
import os
import re
from pathlib import Path
from unittest import SkipTest
from unittest.mock import patch

from babel.dates import format_skeleton

import odoo
from odoo import fields
from odoo.tests import HttpCase
from odoo.tests.common import ChromeBrowser
from odoo.tools import config
from odoo.tools.misc import babel_locale_parse, find_in_path, format_amount, format_date, formatLang

_logger = logging.getLogger(__name__)

SCREENSHOT_SIGNAL = "crm_screenshot:"
# `crmctl test --at` runs Odoo on a shifted clock (libfaketime, which crashes Chromium):
# the browser then keeps the real clock and its Date is shifted by the same offset
CLOCK_OFFSET_VARIABLE = "CRM_CLOCK_OFFSET"
DATE_SHIFT_SCRIPT = """
(() => {
    const offset = %d;
    const RealDate = Date;
    function ShiftedDate(...args) {
        if (!new.target) {
            return new RealDate(RealDate.now() + offset).toString();
        }
        return args.length ? new RealDate(...args) : new RealDate(RealDate.now() + offset);
    }
    ShiftedDate.prototype = RealDate.prototype;
    ShiftedDate.now = () => RealDate.now() + offset;
    ShiftedDate.parse = RealDate.parse;
    ShiftedDate.UTC = RealDate.UTC;
    globalThis.Date = ShiftedDate;
})();
"""
# handed to every page of the tour before its own scripts run (read by crm_tour_utils.js)
TOUR_DATA_SCRIPT = "globalThis.crmTourData = Object.freeze(%s);"
# the addons directory of the suite: every addon in it with an i18n/<addon>.pot is ours
OUR_ADDONS_DIR = Path(__file__).resolve().parents[2]
# placeholders of Python (%(name)s, %s, %d), of JS/QWeb templates ({name}, {{ expr }}, ${expr})
PLACEHOLDER_RE = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdfirx]|%[-#0 +]*\d*(?:\.\d+)?[sdfirx]"
    r"|\{\{.*?\}\}|\$\{[^}]*\}|\{[^{}]*\}")
PO_ENTRY_RE = re.compile(r'^(msgid|msgstr)[ \t]+("(?:[^"\\\n]|\\.)*"(?:[ \t]*\n"(?:[^"\\\n]|\\.)*")*)', re.M)
PO_STRING_RE = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
# the names Odoo's ChromeBrowser looks for on Linux (odoo.tests.common._find_executable)
CHROME_NAMES = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")


def find_chromium():
    """Path of a Chrome/Chromium executable, or None."""
    for name in CHROME_NAMES:
        try:
            return find_in_path(name)
        except OSError:
            continue
    return None


def screenshot_dir(addon):
    """Where screenshots go for ``addon``, or None when they are not asked for."""
    target = os.environ.get("CRM_SCREENSHOTS", "").strip()
    if not target or target.lower() in ("0", "false", "no"):
        return None
    if target.lower() in ("1", "true", "yes"):
        return Path(__file__).resolve().parents[2] / addon / "static" / "description" / "screenshots"
    return Path(target)


def _po_unquote(block):
    """The text of a PO string block (one or several quoted lines)."""
    raw = "".join(PO_STRING_RE.findall(block))
    return re.sub(r"\\(.)", lambda match: PO_ESCAPES.get(match[1], match[1]), raw)


def read_po_entries(path):
    """``{msgid: msgstr}`` of a .po/.pot file (plural forms and the header left out)."""
    entries, msgid = {}, None
    for keyword, block in PO_ENTRY_RE.findall(Path(path).read_text(encoding="utf-8")):
        if keyword == "msgid":
            msgid = _po_unquote(block)
        elif msgid:
            entries[msgid] = _po_unquote(block)
            msgid = None
    return entries


def normalize_term(text):
    return " ".join(text.split())


@functools.cache
def odoo_msgids():
    """Every msgid of Odoo's own addons (their screens show these in English in this source)."""
    roots = {Path(path).resolve() for path in (*odoo.addons.__path__, *config["addons_path"])}
    roots.discard(OUR_ADDONS_DIR)
    msgids = set()
    for root in roots:
        for pot in root.glob("*/i18n/*.pot"):
            msgids.update(normalize_term(msgid) for msgid in read_po_entries(pot))
    return frozenset(msgids)


def term_parts(msgid):
    """The literal parts of a msgid around its placeholders, or None when too short to tell.

    A single word under 4 letters ("Day", "INN") or a mere placeholder also occurs in data and
    Odoo's screens, so it cannot prove that a term of ours was left in English.
    """
    parts = [part.replace("%%", "%").strip() for part in PLACEHOLDER_RE.split(msgid)]
    parts = [part for part in parts if part]
    # punctuation around a placeholder ("%(name)s: ", " (%(n)s)") proves nothing on its own
    while parts and not any(char.isalpha() for char in parts[0]):
        parts.pop(0)
    while parts and not any(char.isalpha() for char in parts[-1]):
        parts.pop()
    words = " ".join(parts).split()
    if not words or not any(char.isalpha() for char in "".join(words)):
        return None
    if len(words) == 1 and sum(char.isalpha() for char in words[0]) < 4:
        return None
    return parts


@functools.cache
def untranslated_candidates(addons, lang):
    """Our terms that show in English only when left untranslated, as handed to the tour.

    ``addons``: names of our addons (a tuple); ``lang``: e.g. "ru_RU" (its ``i18n/ru.po``).
    A term is a msgid of the addon's .pot whose translation exists and differs from it, minus
    msgids of Odoo's own addons and text with markup (never one text node in the page).
    Each item is the msgid, or ``{"t": msgid, "p": [literal parts]}`` when it has placeholders.
    """
    odoo_terms = odoo_msgids()
    iso = lang.split("_")[0]
    candidates = {}
    for addon in addons:
        folder = OUR_ADDONS_DIR / addon / "i18n"
        pot, po = folder / f"{addon}.pot", folder / f"{lang}.po"
        if not po.exists():
            po = folder / f"{iso}.po"
        if not pot.exists() or not po.exists():
            continue
        translations = read_po_entries(po)
        for msgid in read_po_entries(pot):
            term = normalize_term(msgid)
            translated = normalize_term(translations.get(msgid, ""))
            if not translated or translated == term or term in odoo_terms or term in candidates:
                continue
            if "<" in term and ">" in term:
                continue
            parts = term_parts(term)
            if parts is None:
                continue
            candidates[term] = term if parts == [term] else {"t": term, "p": parts}
    return sorted(candidates.values(), key=lambda item: item if isinstance(item, str) else item["t"])


class CrmTourCase(HttpCase):
    """HttpCase for our tours: in ``tour_lang`` at each of ``tour_sizes``, skipped without Chromium."""

    #: addon whose ``static/description/screenshots`` receives the PNG files
    screenshot_addon = "crm_core"
    #: language of the tour user (activated with our translations once per class); falsy: English
    tour_lang = "ru_RU"
    #: every tour runs once per size (width x height of the browser window)
    tour_sizes = ("1366x768", "1920x1080")
    #: msgids of ours that the tours of the class may show in English (e.g. the test's own data)
    tour_allowed_terms = ()

    @classmethod
    def setUpClass(cls):
        if not find_chromium():
            # checked before anything is set up, and so that Odoo does not log a warning per tour
            raise SkipTest(
                "Browser tours skipped: no Chromium found (install Debian's 'chromium' package; "
                ".ci/run installs it)")
        super().setUpClass()
        offset = os.environ.get(CLOCK_OFFSET_VARIABLE)
        if offset:
            cls._shift_browser_clock(int(offset))
        if cls.tour_lang:
            cls._install_tour_lang()

    @classmethod
    def _our_installed_addons(cls):
        ours = [path.parent.parent.name for path in OUR_ADDONS_DIR.glob("*/i18n/*.pot")
                if path.stem == path.parent.parent.name]
        installed = cls.env["ir.module.module"].search([("name", "in", ours), ("state", "=", "installed")])
        return tuple(sorted(installed.mapped("name")))

    @classmethod
    def _install_tour_lang(cls):
        """Activate ``tour_lang`` and load our addons' translations into it (Odoo's are not shipped)."""
        if not cls.env["res.lang"]._activate_lang(cls.tour_lang):
            cls.env["res.lang"]._create_lang(cls.tour_lang)
        cls.tour_addons = cls._our_installed_addons()
        cls.env["ir.module.module"]._load_module_terms(list(cls.tour_addons), [cls.tour_lang], overwrite=True)

    @classmethod
    def _shift_browser_clock(cls, offset_seconds):
        """Start Chromium without libfaketime and give its pages the shifted clock of the server."""
        spawn_chrome, browser_init = ChromeBrowser._spawn_chrome, ChromeBrowser.__init__

        def spawn_on_real_clock(browser, cmd):
            preload = os.environ.pop("LD_PRELOAD", None)
            try:
                return spawn_chrome(browser, cmd)
            finally:
                if preload is not None:
                    os.environ["LD_PRELOAD"] = preload

        def init_with_shifted_date(browser, *args, **kwargs):
            browser_init(browser, *args, **kwargs)
            browser._websocket_request("Page.addScriptToEvaluateOnNewDocument", params={
                "source": DATE_SHIFT_SCRIPT % (offset_seconds * 1000)})

        for name, replacement in (("_spawn_chrome", spawn_on_real_clock), ("__init__", init_with_shifted_date)):
            patcher = patch.object(ChromeBrowser, name, replacement)
            patcher.start()
            cls.addClassCleanup(patcher.stop)

    def start_crm_tour(self, url_path, tour_name, login, expected=None, timeout=120):
        """``start_tour`` at each of ``tour_sizes`` for ``login`` in ``tour_lang``.

        ``expected``: JSON-able dict the tour reads with ``expected(key)``.  Changes a run made
        are rolled back before the next size; the last run's changes stay for the test to check.
        A failure names the size: ``AssertionError("... at 1366x768: ...")``.
        """
        expected = dict(expected or {})
        json.dumps(expected)  # fail here, not in the browser, on a value JSON cannot carry
        if login and self.tour_lang:
            self.env["res.users"].with_context(active_test=False).search(
                [("login", "=", login)]).lang = self.tour_lang
        for index, size in enumerate(self.tour_sizes):
            last = index == len(self.tour_sizes) - 1
            savepoint = None if last else self.env.cr.savepoint()
            try:
                self._run_crm_tour_at(size, url_path, tour_name, login, expected, timeout)
            except self.failureException as error:
                raise self.failureException(f"Tour {tour_name} at {size}: {error}") from None
            finally:
                if savepoint:
                    savepoint.close(rollback=True)
                    self.env.invalidate_all()
                    self.env.registry.clear_all_caches()

    def _tour_page_data(self, expected, size):
        lang = self.tour_lang or "en_US"
        addons = getattr(self, "tour_addons", None) or self._our_installed_addons()
        untranslated = untranslated_candidates(addons, lang) if lang != "en_US" else []
        if self.tour_allowed_terms:
            allowed = set(self.tour_allowed_terms)
            untranslated = [item for item in untranslated
                            if (item if isinstance(item, str) else item["t"]) not in allowed]
        return {"expected": expected, "size": size, "lang": lang, "untranslated": untranslated}

    def _run_crm_tour_at(self, size, url_path, tour_name, login, expected, timeout):
        """One run of the tour in a new browser of the given size."""
        directory = screenshot_dir(self.screenshot_addon)
        original_handle_console = ChromeBrowser._handle_console
        browser_init = ChromeBrowser.__init__
        data_script = TOUR_DATA_SCRIPT % json.dumps(self._tour_page_data(expected, size))

        def handle_console(browser, type, args=None, stackTrace=None, **kw):
            message = args and args[0].get("value")
            if type == "log" and isinstance(message, str) and message.startswith(SCREENSHOT_SIGNAL):
                self._serve_screenshot(browser, message[len(SCREENSHOT_SIGNAL):], directory, size)
            return original_handle_console(browser, type, args=args, stackTrace=stackTrace, **kw)

        def init_with_tour_data(browser, *args, **kwargs):
            browser_init(browser, *args, **kwargs)
            browser._websocket_request("Page.addScriptToEvaluateOnNewDocument", params={"source": data_script})

        cookies = {"frontend_lang": self.tour_lang} if self.tour_lang else None
        with patch.object(ChromeBrowser, "_handle_console", handle_console), \
                patch.object(ChromeBrowser, "__init__", init_with_tour_data), \
                patch.object(self, "browser_size", size):
            self.start_tour(url_path, tour_name, login=login, timeout=timeout, cookies=cookies)

    def tour_format(self, value, kind="float", currency=None, digits=None):
        """``value`` as the web client shows it to the tour user (``tour_lang``).

        ``kind``: "float" (``digits`` decimals, 2 by default), "integer", "monetary" (``currency``,
        the company's by default; its decimals unless ``digits``), "percent" (a ratio shown as
        Odoo's percentage widget does: 0.125 -> "12,5%"), "date" (as Odoo 19 shows a date field
        by default: "9 мар. 2025 г.", without the year in the current year: "9 мар."),
        "date_numeric" (a date field with ``options="{'numeric': true}"``, reports: "09.03.2025").
        The current year is the server's today: the browser keeps the real clock (shifted by
        ``CRM_CLOCK_OFFSET``), so a test that freezes the time should avoid dates of that year.
        """
        env = self.env(context=dict(self.env.context, lang=self.tour_lang or "en_US"))
        if kind == "date":
            # Luxon's DATE_MED through the browser's Intl, i.e. CLDR skeletons (@web/core/l10n/dates)
            value = fields.Date.to_date(value)
            same_year = value.year == fields.Date.context_today(self.env.user).year
            text = format_skeleton("MMMd" if same_year else "yMMMd", value, locale=babel_locale_parse(env.lang))
            # Chromium's ICU puts a plain space where Babel's CLDR has a narrow no-break one ("2025 г.")
            return text.replace("\N{NARROW NO-BREAK SPACE}", " ")
        if kind == "date_numeric":
            return format_date(env, value)
        if kind == "integer":
            return formatLang(env, round(value), digits=0)
        if kind == "float":
            return formatLang(env, value, digits=2 if digits is None else digits)
        if kind == "percent":
            text = formatLang(env, value * 100, digits=2 if digits is None else digits, grouping=False)
            decimal_point = env["res.lang"]._get_data(code=env.lang).decimal_point
            if decimal_point in text:
                text = text.rstrip("0").rstrip(decimal_point)
            return f"{text}%"
        if kind == "monetary":
            currency = currency or env.company.currency_id
            if digits is None:
                return format_amount(env, value, currency).replace("\N{ZERO WIDTH NO-BREAK SPACE}", "")
            amount = formatLang(env, value, digits=digits)
            parts = (amount, currency.symbol) if currency.position == "after" else (currency.symbol, amount)
            return "\N{NO-BREAK SPACE}".join(parts)
        raise ValueError(f"tour_format: unknown kind {kind!r}")

    def _serve_screenshot(self, browser, name, directory, size=None):
        """Capture the page (if asked for), then let the tour go on.

        Runs in the browser's receiving thread: only non-blocking sends here.
        """
        if not re.fullmatch(r"[a-z0-9_]+", name):
            _logger.error("Invalid screenshot name %r (use a-z, 0-9 and _)", name)
            return

        def resume(_future=None):
            browser._websocket_send("Runtime.evaluate", params={
                "expression": f"document.body.dataset.crmScreenshot = {json.dumps(name)};",
            })

        if directory is None:
            resume()
            return

        def save(future):
            try:
                data = future.result(timeout=0)["data"]
                directory.mkdir(parents=True, exist_ok=True)
                path = directory / (f"{name}_{size}.png" if size else f"{name}.png")
                path.write_bytes(base64.b64decode(data))
                _logger.info("Screenshot saved: %s", path)
            except Exception:
                _logger.exception("Could not save the screenshot %s", name)
            resume()

        future = browser._websocket_send(
            "Page.captureScreenshot", params={"format": "png"}, with_future=True)
        if future is None:
            resume()
        else:
            future.add_done_callback(save)
