"""Logging filters. A refused request (403) is a line in the log, not a traceback: Django logs PermissionDenied
with its exception attached, so every wrong-role probe would print a stack."""

import logging


class RefusalsOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
