"""Settings of the real workers started by ``test_notifications_worker``: the test
settings, with every mail written to its own file (``CountingFileBackend``) so the test
can count them across processes, and a mail server that hangs on demand."""

from mentoring.settings.test import *  # noqa: F403

EMAIL_BACKEND = "tests.mentoring.notify_worker_mail.CountingFileBackend"
