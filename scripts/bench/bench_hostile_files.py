#!/usr/bin/env python3
"""Hostile customer files against crm_core's reader: how fast each is refused, what the largest accepted costs.

Run through ``python3 scripts/crmctl.py bench hostile`` (or straight with python3: it
needs no database, only the pure modules ``addons/crm_core/tools/spreadsheet.py`` and
``spreadsheet_samples.py``, which generates every file, as for the tests):

- a zip bomb (``--bomb-mb`` MB of blanks in the sheet, a few hundred KB compressed),
- a sheet declaring ``<dimension ref="A1:XFD1048576">``,
- a merged range ``A3:XFD1048576`` and one of 1000 columns × 400,000 rows,
- a row numbered 1,000,000,
- a CSV with a 200 KB field, a CSV with NUL bytes, a CSV row of 5,000 columns;

each is read with the default limits; prints
``bench hostile <case> file_kb=… refused=<code> seconds=…``. Then the largest
workbook the limits accept (``--rows`` data rows, default: the row limit) is read in a
fresh process: ``bench hostile largest rows=… file_mb=… unpacked_mb=… seconds=…
peak_rss_mb=… rss_growth_mb=…`` (resident memory of that process: its peak, and
the peak minus what it held before reading). ``--rows 20000`` for a quick run.
"""
import argparse
import importlib.util
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Контактное лицо", "Организация", "ИНН", "КПП", "Должность", "Телефон", "E-mail", "Город", "Метка"]


def load_tool(name):
    """A pure module of crm_core (``addons/crm_core/tools/<name>.py``), imported from its file (no Odoo needed)."""
    path = ROOT / "addons" / "crm_core" / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"crm_core_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def parse_args(limits):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=limits.rows - 1,
                        help="data rows of the largest accepted workbook (default: the row limit)")
    parser.add_argument("--bomb-mb", type=int, default=1024, help="unpacked size of the zip bomb")
    parser.add_argument("--read", help=argparse.SUPPRESS)  # internal: read this file in a fresh process
    return parser.parse_args()


# ---------------------------------------------------------------- files
def hostile_files(bomb_mb):
    samples = load_tool("spreadsheet_samples")
    workbook = samples.xlsx([HEADER, ["Иванов Иван", "ООО «Ромашка»", "7707083893", "", "Директор", "89123456789",
                                      "ivanov@example.ru", "Москва", ""]])
    good_csv_row = ["Иванов Иван", "ООО «Ромашка»", "7707083893", "", "Директор", "89123456789", "i@example.ru",
                    "Москва", ""]
    yield "zip_bomb", "bomb.xlsx", samples.zip_bomb(workbook, bomb_mb, compresslevel=9)
    yield "huge_dimension", "dimension.xlsx", samples.huge_dimension(workbook)
    yield "merged_range_bomb", "merged.xlsx", samples.merged_bomb(workbook, "A3:XFD1048576")
    yield "merged_area_bomb", "merged_area.xlsx", samples.merged_bomb(workbook, "B3:ALL400000")
    yield "row_far_down", "far.xlsx", samples.row_far_down(workbook)
    yield "huge_csv_field", "field.csv", samples.long_field_csv(HEADER, "Иванов Иван")
    yield "nul_bytes", "nul.csv", samples.nul_bytes_csv(HEADER, good_csv_row, 500)
    yield "wide_csv_row", "wide.csv", samples.wide_csv(HEADER, 5000)


def largest_workbook(rows, path):
    """Customers like the sample files, ``rows`` of them, written by openpyxl (inline strings)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Клиенты")
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append([f"Иванов Иван {n % 97}", f"ООО «Ромашка {n % 13}»", "7707083893", "773601001", "Директор",
                      f"+7 912 {n % 1000:03d} {n % 100:02d} {n % 97:02d}", f"client{n}@example.ru", "Москва", ""])
    workbook.save(path)


# ---------------------------------------------------------------- runs
def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def read_in_this_process(path):
    """Child process: read the workbook, report time and memory as JSON."""
    spreadsheet = load_tool("spreadsheet")
    content = Path(path).read_bytes()
    import openpyxl  # noqa: F401  (loaded before the baseline: its import is not the reading's cost)

    before = rss_mb()
    started = time.perf_counter()
    table = spreadsheet.read_table(content, Path(path).name, max_size_mb=20)
    seconds = time.perf_counter() - started
    unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(content)).infolist())
    print(json.dumps({"rows": len(table.rows), "seconds": seconds, "peak": rss_mb(), "before": before,
                      "unpacked": unpacked / 1048576, "file": len(content) / 1048576}))


def main():
    spreadsheet = load_tool("spreadsheet")
    args = parse_args(spreadsheet.DEFAULT_LIMITS)
    if args.read:
        read_in_this_process(args.read)
        return 0
    limits = spreadsheet.DEFAULT_LIMITS
    print(f"# limits: {limits}", flush=True)
    failures = 0
    for case, filename, content in hostile_files(args.bomb_mb):
        started = time.perf_counter()
        try:
            spreadsheet.read_table(content, filename, max_size_mb=20)
            code = "ACCEPTED"
            failures += 1
        except spreadsheet.SpreadsheetError as error:
            code = error.code
        seconds = time.perf_counter() - started
        print(f"bench hostile {case} file_kb={len(content) / 1024:.0f} refused={code} seconds={seconds:.3f}",
              flush=True)
        failures += seconds >= 2
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "largest.xlsx"
        started = time.perf_counter()
        largest_workbook(args.rows, path)
        print(f"# generated {args.rows} rows in {time.perf_counter() - started:.0f}s", flush=True)
        output = subprocess.run([sys.executable, __file__, "--read", str(path)], check=True, capture_output=True,
                                text=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    print(f"bench hostile largest rows={result['rows']} file_mb={result['file']:.1f} "
          f"unpacked_mb={result['unpacked']:.0f} seconds={result['seconds']:.1f} peak_rss_mb={result['peak']:.0f} "
          f"rss_growth_mb={result['peak'] - result['before']:.0f}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
