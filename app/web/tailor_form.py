"""The tailoring fields of the start forms: a pasted CV, or a CV PDF read into text."""

from __future__ import annotations

import asyncio

from fastapi import UploadFile

from app.http.loop_schemas import MAX_CV_CHARS
from app.services import tailoring
from app.services.errors import Invalid

# a CV PDF is rarely past 1 MB; the body limit (ONSITE_MAX_BODY_BYTES) applies first
MAX_PDF_BYTES = 2 * 1024 * 1024


async def cv_of(text: str, upload: UploadFile | None) -> str | None:
    """The CV's text: the uploaded PDF's when one was chosen, else what was pasted."""
    if upload is None or not upload.filename:
        return text or None
    data = await upload.read(MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise Invalid(f"the CV PDF is over {MAX_PDF_BYTES // (1024 * 1024)} MB")
    # parsing a PDF is CPU work: off the event loop
    return await asyncio.to_thread(tailoring.cv_text_from_pdf, data, limit=MAX_CV_CHARS)
