"""Errors services raise; routes turn them into HTTP responses."""

from __future__ import annotations


class ServiceError(Exception):
    """A request that cannot be served as asked; `status` is the HTTP status it maps to."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The thing does not exist, or belongs to someone else."""

    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    """The caller's own settings do not allow this (e.g. keeping recordings when not opted in)."""

    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    """The request does not fit the current state (e.g. a finished interview)."""

    status = 409
    code = "conflict"


class Invalid(ServiceError):
    """The input is well-formed JSON but not acceptable."""

    status = 422
    code = "invalid"


class Unavailable(ServiceError):
    """The language model failed; the request can be retried."""

    status = 503
    code = "llm_unavailable"

    def __init__(self, message: str, *, retryable: bool = True, retry_after: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        if not retryable:
            self.status = 502
            self.code = "llm_failed"


class RateLimited(ServiceError):
    """Too many requests of a kind; retry after `retry_after` seconds."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


class TooMany(ServiceError):
    """A size limit that waiting does not lift (e.g. messages in one interview)."""

    status = 409
    code = "limit_reached"


class CodeRunnerUnavailable(ServiceError):
    """Code cannot be run on this server (no sandbox); the message says why."""

    status = 503
    code = "code_runner_unavailable"


class CodeRunnerBusy(RateLimited):
    """Every sandbox worker is busy and the queue is full; retry shortly."""

    code = "code_runner_busy"

    def __init__(self, message: str):
        super().__init__(message, retry_after=5.0)


class Busy(RateLimited):
    """The server has no database connection free in time: shed the request, retry shortly."""

    status = 503
    code = "busy"

    def __init__(self, message: str = "the server is busy; retry in a moment"):
        super().__init__(message, retry_after=2.0)


class TooLarge(ServiceError):
    """An upload over its size limit (e.g. a recording); a smaller one will do."""

    status = 413
    code = "too_large"


class UnsupportedMedia(ServiceError):
    """An upload in a format the server does not take; the message lists those it does."""

    status = 415
    code = "unsupported_media_type"


class SpeechUnavailable(Unavailable):
    """Transcription or speech is not configured here, or its server failed."""

    def __init__(self, message: str, *, retryable: bool = True, retry_after: float | None = None):
        super().__init__(message, retryable=retryable, retry_after=retry_after)
        self.code = "speech_unavailable" if retryable else "speech_failed"


class SpeechNotConfigured(ServiceError):
    """No transcription (or speech) server is configured; the message says what to set."""

    status = 501
    code = "speech_not_configured"
