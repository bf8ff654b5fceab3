"""The one error a bad content file raises."""


class ContentError(Exception):
    """A content file is missing or invalid; the message names the file and the reason."""
