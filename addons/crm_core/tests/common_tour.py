"""Browser tours: a base class that skips cleanly without Chromium and takes screenshots on demand.

A tour asks for a screenshot with the ``screenshotSteps(name)`` helper of
``crm_core/static/tests/tours/crm_tour_utils.js``: it logs ``crm_screenshot:<name>``
on the console and waits until the test marks ``<body data-crm-screenshot="<name>">``.
The test catches the console line, captures the page through the DevTools protocol
(``Page.captureScreenshot``) when the environment variable ``CRM_SCREENSHOTS`` is set,
then marks the body so that the tour goes on.  Without the variable nothing is
written, and the tour does not wait longer than one round trip.

``CRM_SCREENSHOTS=1`` writes ``<addon>/static/description/screenshots/<name>.png``;
any other value is a directory to write into.
"""

import base64
import json
import logging
import os
import re
from pathlib import Path
from unittest import SkipTest
from unittest.mock import patch

from odoo.tests import HttpCase
from odoo.tests.common import ChromeBrowser
from odoo.tools.misc import find_in_path

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


class CrmTourCase(HttpCase):
    """HttpCase for our tours: skipped with a clear message when no Chromium is installed."""

    #: addon whose ``static/description/screenshots`` receives the PNG files
    screenshot_addon = "crm_core"

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

    def start_crm_tour(self, url_path, tour_name, login, timeout=120):
        """``start_tour`` that serves the tour's screenshot requests."""
        directory = screenshot_dir(self.screenshot_addon)
        original_handle_console = ChromeBrowser._handle_console

        def handle_console(browser, type, args=None, stackTrace=None, **kw):
            message = args and args[0].get("value")
            if type == "log" and isinstance(message, str) and message.startswith(SCREENSHOT_SIGNAL):
                self._serve_screenshot(browser, message[len(SCREENSHOT_SIGNAL):], directory)
            return original_handle_console(browser, type, args=args, stackTrace=stackTrace, **kw)

        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            self.start_tour(url_path, tour_name, login=login, timeout=timeout)

    def _serve_screenshot(self, browser, name, directory):
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
                path = directory / f"{name}.png"
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
