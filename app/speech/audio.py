"""Recognising a recording's container from its first bytes, and a WAV file's duration."""

from __future__ import annotations

import io
import wave

# container -> (file extension the transcription server infers the format from, media type)
FORMATS: dict[str, tuple[str, str]] = {
    "webm": ("webm", "audio/webm"),
    "ogg": ("ogg", "audio/ogg"),
    "wav": ("wav", "audio/wav"),
    "mp3": ("mp3", "audio/mpeg"),
    "mp4": ("m4a", "audio/mp4"),
    "flac": ("flac", "audio/flac"),
}
ACCEPTED = "WebM, Ogg, WAV, MP3, MP4/M4A or FLAC"


def container(data: bytes) -> str | None:
    """The recording's container by its magic bytes (what browsers' MediaRecorder and common
    recorders write), or None when it is none of them."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:4] == b"OggS":
        return "ogg"
    if data[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM and Matroska
        return "webm"
    if data[:4] == b"fLaC":
        return "flac"
    if data[4:8] == b"ftyp":
        return "mp4"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def wav_seconds(data: bytes) -> float | None:
    """A WAV recording's duration from its header, or None when the header cannot be read."""
    try:
        with wave.open(io.BytesIO(data)) as wav:
            rate = wav.getframerate()
            return wav.getnframes() / rate if rate else None
    except (wave.Error, EOFError):
        return None
