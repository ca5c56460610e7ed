"""What the tests share: input workbooks built in code, the openpyxl `CellPort`, the CLI runner,
a filled copy of `JikuBata.xlsm`. Imported as `tests.support.…` (pytest puts the repository on the path)."""
