"""Save a spreadsheet with a password, the way LibreOffice's "Simpan dengan kata sandi" does (through UNO).

Run by the system Python, which has LibreOffice's `uno` module (Debian: python3-uno), not by the venv:

    /usr/bin/python3 tests/support/lo_password.py SOURCE TARGET FILTER PASSWORD

FILTER is LibreOffice's filter name: `calc8` (.ods) or `MS Excel 97` (.xls). soffice runs headless with a
private profile in a temporary folder, and is ended when done.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import uno  # noqa: E402  (LibreOffice's Python bridge)
from com.sun.star.beans import PropertyValue  # noqa: E402
from com.sun.star.connection import NoConnectException  # noqa: E402


def _props(**values) -> tuple:
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def save_with_password(source: Path, target: Path, filter_name: str, password: str, timeout: float = 120) -> None:
    profile = Path(tempfile.mkdtemp(prefix="lo-sandi-"))
    pipe = f"jikubata_{uuid.uuid4().hex}"
    office = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
         "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + timeout
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if time.monotonic() > deadline or office.poll() is not None:
                    raise RuntimeError("LibreOffice tidak dapat dijalankan")
                time.sleep(0.3)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        doc = desktop.loadComponentFromURL(source.resolve().as_uri(), "_blank", 0, _props(Hidden=True))
        try:
            doc.storeToURL(target.resolve().as_uri(), _props(FilterName=filter_name, Password=password))
        finally:
            doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge goes down with the office
            pass
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    save_with_password(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4])
    if not os.path.exists(sys.argv[2]):
        sys.exit("berkas tidak tersimpan")
