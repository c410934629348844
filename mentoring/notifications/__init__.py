"""Notifications: reminders and one-off mails that go out exactly once, and the in-app bell.

See ``registry`` (kinds apps register), ``services`` (plan, send, send now) and the README's
"Reminders and notifications" section for the delivery design.
"""
