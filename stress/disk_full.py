"""A full disk: run every writing command with its output folder on a small tmpfs filled to several levels.

    sudo python -m stress.disk_full [--levels 0,4,12,40,120,400,1200] [--pdf]

Needs root (it mounts a 2 MiB tmpfs; without root it says so and exits 2).
For each command (`rekap`, `mingguan`, `formulir`, `surat`, and `surat --pdf`
with `--pdf`) and each free-space level (KiB), the command runs once into a
fresh output folder. Checked per run:

- exit 0 with every output whole (xlsx/docx zips test clean, PDFs whole,
  SQLite passes its integrity check, every letter has its PDF with `--pdf`),
  or exit 2 with exactly "Galat: ruang disk penuh di <folder>; kosongkan lalu
  jalankan lagi" on stderr;
- never a traceback, "Exception ignored", "Galat tak terduga" or English;
- no temporary file left under the output folder.

Figures printed: runs per command, how many ended 0 / 2, and every failure.
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Optional

from stress.mail_kill import write_inputs

COMMANDS = {
    "rekap": lambda src, out: ["rekap", src, "--periode", "2025-11", "--keluaran", out],
    "mingguan": lambda src, out: ["mingguan", src, "--per-tanggal", "2025-11-16", "--keluaran", out],
    "formulir": lambda src, out: ["formulir", src, "--periode", "2025-12", "--keluaran", out],
    "surat": lambda src, out: ["surat", src, "--periode", "2025-11", "--keluaran", out],
    "surat --pdf": lambda src, out: ["surat", src, "--periode", "2025-11", "--keluaran", out, "--pdf"],
}


def fill(mount: Path, free: int) -> None:
    for p in mount.iterdir():
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    with open(mount / "pengisi.bin", "wb") as f:
        f.write(b"\0" * max(0, shutil.disk_usage(mount).free - free))


def problems(out: Path, pdf: bool) -> list[str]:
    from jikubata.adapters.atomic import is_temporary_name
    from jikubata.adapters.pdf import is_whole_pdf

    found = []
    if not out.exists():
        return found
    for path in out.rglob("*"):
        if path.is_dir():
            if path.name.startswith(".pdf-"):
                found.append(f"staging left: {path.name}")
            continue
        if is_temporary_name(path.name):
            found.append(f"temporary file left: {path.name}")
        try:
            if path.suffix in (".xlsx", ".docx"):
                with zipfile.ZipFile(path) as z:
                    if z.testzip() is not None:
                        found.append(f"damaged: {path.name}")
            elif path.suffix == ".pdf" and not is_whole_pdf(path):
                found.append(f"cut PDF under its final name: {path.name}")
            elif path.suffix in (".sqlite", ".sqlite3"):
                with sqlite3.connect(path) as db:
                    if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                        found.append(f"damaged: {path.name}")
        except (zipfile.BadZipFile, sqlite3.Error, OSError) as exc:
            found.append(f"damaged: {path.name} ({exc!r})")
    return found


def run(command: str, source: Path, out: Path) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-m", "jikubata", *map(str, COMMANDS[command](source, out))],
                          capture_output=True, text=True, timeout=600)
    failures = []
    for bad in ("Traceback", "Exception ignored", "Galat tak terduga", "No space left"):
        if bad in done.stderr:
            failures.append(f"{bad!r} on stderr: {done.stderr.strip()[-200:]}")
    if done.returncode == 2:
        if done.stderr.strip() != f"Galat: ruang disk penuh di {out}; kosongkan lalu jalankan lagi":
            failures.append(f"exit 2 with: {done.stderr.strip()[-200:]}")
    elif done.returncode == 0:
        if command.endswith("--pdf"):
            docs = sorted(p.stem for p in out.rglob("Surat-*/*.docx"))
            if sorted(p.stem for p in out.rglob("Surat-*/*.pdf")) != docs:
                failures.append("exit 0 with PDFs missing")
    else:
        failures.append(f"exit {done.returncode}: {done.stderr.strip()[-200:]}")
    return done.returncode, failures + problems(out, command.endswith("--pdf"))


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--levels", default="0,4,12,40,120,400,1200", help="free space in KiB")
    ap.add_argument("--pdf", action="store_true", help="also surat --pdf (LibreOffice)")
    args = ap.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="jikubata-disk-full-"))
    mount = root / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        print("tmpfs tidak dapat dipasang (perlu root)", file=sys.stderr)
        shutil.rmtree(root, ignore_errors=True)
        return 2
    source = write_inputs(root / "masukan")
    commands = [c for c in COMMANDS if args.pdf or not c.endswith("--pdf")]
    codes: dict[str, Counter] = {c: Counter() for c in commands}
    failures = []
    try:
        for command in commands:
            for kib in (int(x) for x in args.levels.split(",")):
                fill(mount, kib * 1024)
                code, found = run(command, source, mount / "keluaran")
                codes[command][code] += 1
                failures += [f"{command} @ {kib} KiB: {f}" for f in found]
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
    for command in commands:
        c = codes[command]
        print(f"{command}: {sum(c.values())} percobaan, {c[0]} selesai (exit 0, keluaran utuh), "
              f"{c[2]} 'ruang disk penuh' (exit 2), {sum(v for k, v in c.items() if k not in (0, 2))} lain")
    print(f"gagal: {len(failures)}")
    for f in failures:
        print(f"  {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
