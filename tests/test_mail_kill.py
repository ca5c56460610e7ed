"""The sender killed right after the SMTP server accepted a message (issue 20 point 1), through the command:
an aiosmtpd handler on 127.0.0.1 kills the `jikubata` process from a timer, the command runs again.
Every letter (every weekly email) must arrive, and any second copy must carry the same Message-ID."""
from __future__ import annotations

import shutil

import pytest

from stress.mail_kill import run_trial

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice diperlukan untuk PDF")
@pytest.mark.parametrize("delay", [0.0, 0.01, 0.05])
def test_surat_kirim_killed_after_an_accept_delivers_every_letter_recognisably(tmp_path, delay):
    trial = run_trial("surat", delay, tmp_path, max_runs=3)
    assert trial.kills >= 1
    assert trial.failures == []
    assert trial.expected == 8 and len(trial.delivered) == 8                 # two offices, six officials
    assert all(len(set(ids)) == 1 for ids in trial.delivered.values())      # a copy is the same message


@pytest.mark.parametrize("delay", [0.0, 0.02])
def test_the_weekly_email_killed_after_an_accept_is_sent_again_with_the_same_message_id(tmp_path, delay):
    trial = run_trial("jadwal", delay, tmp_path, max_runs=3)
    assert trial.kills >= 1
    assert trial.failures == []
    (ids,) = trial.delivered.values()
    assert len(set(ids)) == 1          # delivered; a copy, if the kill came first, is the same message
