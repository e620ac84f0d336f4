"""A shifted clock for ``test --at``: Odoo and PostgreSQL start at a chosen instant (Debian's libfaketime)."""

import datetime
import os
from pathlib import Path

from .common import ROOT, SetupError

AT_FORMAT = "%Y-%m-%d %H:%M"
LIBFAKETIME_GLOBS = ("/usr/lib/*/faketime/libfaketimeMT.so.1", "/usr/lib/faketime/libfaketimeMT.so.1")


def parse_at(value):
    """``--at "YYYY-MM-DD HH:MM"`` (UTC) -> the instant, or a clear error."""
    try:
        return datetime.datetime.strptime(value.strip(), AT_FORMAT)
    except ValueError:
        raise SetupError(
            f"--at {value!r}: write the instant as \"YYYY-MM-DD HH:MM\" in UTC, e.g. \"2027-03-28 01:30\"."
        ) from None


def libfaketime():
    for pattern in LIBFAKETIME_GLOBS:
        found = sorted(Path("/").glob(pattern.lstrip("/")))
        if found:
            return found[0]
    raise SetupError("--at needs Debian's libfaketime (apt-get install faketime); .ci/run installs it.")


def faketime_env(at):
    """Environment that shifts the clock of Odoo and PostgreSQL so that it reads ``at`` (UTC) now.

    The shift is one fixed offset for every process started with it, so Odoo's
    and PostgreSQL's clocks agree to the millisecond and run on from ``at``;
    monotonic clocks stay real so that timeouts behave.  Chromium crashes under
    libfaketime: the tours shift the browser's ``Date`` by ``CRM_CLOCK_OFFSET``
    instead (crm_core/tests/common_tour.py).
    """
    if at is None:
        return {}
    now = datetime.datetime.now(datetime.timezone.utc)
    offset = round((at.replace(tzinfo=datetime.timezone.utc) - now).total_seconds())
    return {
        "LD_PRELOAD": str(libfaketime()),
        "FAKETIME": f"{offset:+d}",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "CRM_CLOCK_OFFSET": str(offset),
        "TZ": "UTC",
        # time.sleep through select: libfaketime breaks CPython's clock_nanosleep (see the module)
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "scripts" / "faketime_site"), os.environ.get("PYTHONPATH")])
        ),
    }
