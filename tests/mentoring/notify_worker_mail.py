"""A mail backend for tests with real worker processes: one file per message handed over.

- ``NOTIFY_MAIL_DIR``: where the files go, named ``<delivery id>.<pid>.<n>.eml`` (so a mail
  sent twice shows as two files for one delivery, whoever sent it);
- ``NOTIFY_MAIL_DELAY``: seconds each message takes (a real SMTP conversation's latency),
  so that a batch takes long enough for two workers to overlap, or to be killed mid-way;
- ``NOTIFY_HANG_AT``: the n-th message of this process "hangs" before the server accepted
  it: the backend writes ``hanging.<pid>`` and sleeps, and the test kills the worker then.
"""

import itertools
import os
import re
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

_counter = itertools.count(1)


class CountingFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = Path(os.environ["NOTIFY_MAIL_DIR"])
        hang_at = int(os.environ.get("NOTIFY_HANG_AT", "0") or 0)
        delay = float(os.environ.get("NOTIFY_MAIL_DELAY", "0") or 0)
        for message in email_messages:
            n = next(_counter)
            if delay:
                time.sleep(delay)
            if n == hang_at:
                (folder / f"hanging.{os.getpid()}").write_text(str(n))
                time.sleep(600)  # the test SIGKILLs us here: the server never said "250 OK"
            found = re.match(r"<delivery-(\d+)@", message.extra_headers.get("Message-ID", ""))
            delivery = found.group(1) if found else "none"
            name = folder / f"{delivery}.{os.getpid()}.{n}.eml"
            name.write_bytes(message.message().as_bytes())
        return len(email_messages)
