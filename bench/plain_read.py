"""The baseline: read every sheet of every workbook with python-calamine, nothing else."""
import sys
from pathlib import Path

from python_calamine import CalamineWorkbook

rows = 0
for arg in sys.argv[1:]:
    for path in sorted(Path(arg).glob("*.xlsx")) if Path(arg).is_dir() else [Path(arg)]:
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            rows += len(wb.get_sheet_by_name(name).to_python())
print(rows)
