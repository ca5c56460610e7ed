"""`jikubata …` as a user runs it: a child process, output read as UTF-8 text; or the same call in this
process, where a child process would add nothing but its start-up."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys


def jikubata(*args, cwd=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m jikubata ARGS` (this interpreter, so the checkout under test) and wait for it."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "jikubata", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


def jikubata_here(*args) -> subprocess.CompletedProcess:
    """`jikubata ARGS` through `cli.main` in this process: the exit status, stdout and stderr a child process
    would give (argparse's own exits included), for tests about what a command does rather than about the
    process (signals, locks between processes, the console's encoding, what escapes `main`)."""
    from jikubata.entrypoints import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:  # argparse: --help, a missing or unknown argument
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    return subprocess.CompletedProcess(["jikubata", *map(str, args)], code, out.getvalue(), err.getvalue())
