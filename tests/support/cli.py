"""`jikubata …` as a user runs it: a child process, output read as UTF-8 text."""
from __future__ import annotations

import os
import subprocess
import sys


def jikubata(*args, cwd=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m jikubata ARGS` (this interpreter, so the checkout under test) and wait for it."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "jikubata", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)
