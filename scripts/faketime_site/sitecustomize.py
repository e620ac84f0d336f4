"""Loaded by every Python process of ``crmctl test --at`` (through PYTHONPATH).

Debian's libfaketime 0.9.10, with the monotonic clock left real
(FAKETIME_DONT_FAKE_MONOTONIC=1), makes ``clock_nanosleep`` with an absolute
monotonic deadline fail with EINVAL — which is how CPython implements
``time.sleep``.  With the monotonic clock faked instead, every timed lock wait
hangs.  So the monotonic clock stays real and ``time.sleep`` waits with
``select``, whose relative timeout libfaketime passes through unchanged.
"""
import os
import select
import time

if "faketime" in os.environ.get("LD_PRELOAD", ""):
    def _sleep(seconds):
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            select.select([], [], [], remaining)

    time.sleep = _sleep
