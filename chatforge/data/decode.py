"""Byte decoding that survives mixed encodings: UTF-8 first, then configured fallbacks, per line."""

from __future__ import annotations

from pathlib import Path

DEFAULT_FALLBACKS = ("cp1252",)


class UndecodableError(ValueError):
    pass


def decode_bytes(raw: bytes, fallbacks: tuple[str, ...] | list[str] = DEFAULT_FALLBACKS) -> tuple[str, str]:
    """Return (text, encoding used). NUL bytes mean binary data, which is refused."""
    if b"\x00" in raw:
        raise UndecodableError("binary content (NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as first:
        for enc in fallbacks:
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError:
                continue
        raise UndecodableError(
            f"not UTF-8 ({first.reason} at byte {first.start}) nor {', '.join(fallbacks) or 'any fallback'}"
        ) from None


def read_text(path: Path, fallbacks=DEFAULT_FALLBACKS) -> tuple[str, str]:
    return decode_bytes(path.read_bytes(), fallbacks)


def iter_lines(path: Path, fallbacks=DEFAULT_FALLBACKS):
    """Yield (1-based line number, text or UndecodableError, encoding) for each line of a file.

    Decoding line by line keeps a file with a few cp1252 lines among UTF-8 ones usable.
    """
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            raw = raw.rstrip(b"\r\n")
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text, enc = decode_bytes(raw, fallbacks)
            except UndecodableError as exc:
                yield number, exc, None
                continue
            yield number, text, enc
