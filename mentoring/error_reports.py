"""Error reports (the emails to ``ADMINS``, the debug page) without secret URL tokens.

A report shows the request URL, the request's repr in every frame and the view's
arguments (``callback_kwargs``): all carry the token of a calendar feed or invitation
URL. ``sensitive_variables`` hides named locals only, so the whole report is redacted
here, the token taken from the request's own path.
"""

from django.views.debug import ExceptionReporter

from .redaction import redact, secrets_in


class RedactingExceptionReporter(ExceptionReporter):
    def _secrets(self) -> list[str]:
        if self.request is None:
            return []
        return secrets_in(self.request.get_full_path())

    def get_traceback_text(self) -> str:
        return redact(super().get_traceback_text(), also=self._secrets())

    def get_traceback_html(self) -> str:
        return redact(super().get_traceback_html(), also=self._secrets())
