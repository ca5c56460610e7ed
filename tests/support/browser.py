"""Headless Chromium for tests that look at HTML the way a reader's screen shows it.

Headless Chromium will not make a window narrower than 500 px, so the page is
put in an `<iframe srcdoc>` of the wanted width: the iframe is the viewport the
email is laid out in (a phone's 375 px), and, being same-origin, its document
can be measured by a script in the host page. The figures come back through
`--dump-dom`; no DevTools client is needed.
"""
from __future__ import annotations

import html as html_lib
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
MIN_WINDOW = 500  # headless Chromium's narrowest window


def chromium() -> str:
    """The Chromium binary; a clear failure (never a skip) when it is missing."""
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not found:
        raise RuntimeError("Chromium tidak terpasang: pasang paket Debian 'chromium' (lihat .ci/run) "
                           "untuk tes tampilan surel")
    return found


_PROBE = """<script>
window.addEventListener('load', function () {
  var f = document.getElementById('page'), d = f.contentDocument, e = d.documentElement;
  var out = {scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, innerWidth: f.contentWindow.innerWidth,
             scrollHeight: e.scrollHeight, wide: []};
  d.querySelectorAll('body *').forEach(function (n) {
    var r = n.getBoundingClientRect();
    if (r.right > out.innerWidth + 0.5) out.wide.push(n.tagName + ' ' + Math.round(r.right) + ' ' +
                                                     (n.textContent || '').trim().slice(0, 40));
  });
  var p = document.createElement('pre'); p.id = 'probe';
  p.textContent = 'PRO' + 'BE' + JSON.stringify(out) + 'EBO' + 'RP'; document.body.appendChild(p);
});
</script>"""


def _host(page: str, width: int, height: int, probe: bool) -> str:
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'></head>"
            "<body style='margin:0;background:#888'>"
            f"<iframe id='page' style='border:0;display:block;width:{width}px;height:{height}px' "
            f"srcdoc=\"{html_lib.escape(page, quote=True)}\"></iframe>"
            f"{_PROBE if probe else ''}</body></html>")


def _run(host: str, window: tuple[int, int], extra: list[str]) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="jb-chromium-") as tmp:
        page = Path(tmp) / "host.html"
        page.write_text(host, encoding="utf-8")
        cmd = [chromium(), *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
               f"--window-size={window[0]},{window[1]}", *extra, page.as_uri()]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp)


def measure(page: str, width: int = 375, height: int = 2000) -> dict:
    """Layout figures of `page` shown in a viewport `width` px wide.

    `scrollWidth` is the document's full width: wider than `innerWidth` means
    the reader must scroll sideways. `wide` lists the elements that stick out.
    """
    done = _run(_host(page, width, height, probe=True), (max(width, MIN_WINDOW), height), ["--dump-dom"])
    found = re.search(r"PROBE(.*?)EBORP", done.stdout, re.S)
    if not found:
        raise RuntimeError(f"Chromium tidak memberi hasil ukur (kode {done.returncode}): {done.stderr[-800:]}")
    return json.loads(html_lib.unescape(found.group(1)))


def screenshot(page: str, png: Path, width: int = 375, height: int = 2000) -> Path:
    """A PNG of `page` in a viewport `width` px wide (grey to the right when the window is wider)."""
    png = Path(png).resolve()
    _run(_host(page, width, height, probe=False), (max(width, MIN_WINDOW), height), [f"--screenshot={png}"])
    if not png.exists():
        raise RuntimeError(f"Chromium tidak membuat gambar {png}")
    return png
