"""The baseline: read every sheet of every spreadsheet with python-calamine (a CSV with the csv module), nothing else."""
import csv
import sys
from pathlib import Path

from python_calamine import CalamineWorkbook

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")

rows = 0
for arg in sys.argv[1:]:
    folder = Path(arg)
    for path in sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES) if folder.is_dir() else [folder]:
        if path.suffix == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as f:
                rows += sum(1 for _ in csv.reader(f, delimiter=";"))
            continue
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            rows += len(wb.get_sheet_by_name(name).to_python())
print(rows)
