"""Untrusted ``torch.save`` files (saved runs, text checkpoints) read safely, or refused with a Problem.

A ``torch.save`` file is a zip archive: one pickle (``data.pkl``) plus one record per tensor storage.
Before torch reads anything, the archive's own directory is checked: how many entries, what they declare
they expand to, how much they compress. A small file can otherwise claim or inflate to gigabytes (a zip
bomb, a pickle of millions of empty lists). Only then is it read, always with ``weights_only=True``, so no
code from the file ever runs. ``outline=True`` reads the structure only: tensors come back on the meta
device (shapes and dtypes, no data), so a file can be checked before any of its tensor data is read.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import torch

from app.engine.problems import InputError, Problem


@dataclass(frozen=True)
class SavedFormat:
    """What one kind of saved file may be. torch.save stores its entries uncompressed, so a genuine
    file inflates to about its own size; ``max_ratio`` only leaves room for a re-zipped copy."""

    name: str  # the payload's "format" field
    version: int
    max_bytes: int  # the file itself
    max_inflated: int  # every entry's declared size together
    max_pickle: int = (
        256 * 1024
    )  # the pickle alone: it becomes Python objects, ~60x its size at worst
    max_entries: int = 1024
    max_ratio: int = 20


def read_saved(data: bytes, kind: SavedFormat, outline: bool = False) -> dict:
    """The file's payload (a dict with the right format and version), or InputError saying why not."""
    if not data:
        raise InputError(Problem("problem.save_empty", "the file is empty"))
    if len(data) > kind.max_bytes:
        raise InputError(
            Problem(
                "problem.save_size",
                f"the file is larger than {kind.max_bytes // 2**20} MB",
                {"limit_mb": kind.max_bytes // 2**20},
            )
        )
    check_inflation(data, kind)
    try:
        payload = torch.load(
            io.BytesIO(data), weights_only=True, map_location="meta" if outline else "cpu"
        )
    except Exception as error:  # any unreadable, truncated or foreign file: say so, change nothing
        raise InputError(
            Problem(
                "problem.save_unreadable", f"not a saved Unrolled file ({type(error).__name__})"
            )
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != kind.name:
        raise InputError(Problem("problem.save_unreadable", "not a saved Unrolled file"))
    if payload.get("version") != kind.version:
        raise InputError(
            Problem(
                "problem.save_version",
                f"saved by another version ({payload.get('version')!r})",
                {"version": str(payload.get("version"))[:20], "expected": kind.version},
            )
        )
    return payload


def read_file(path: Path, kind: SavedFormat) -> bytes:
    """A file's bytes, reading no more than the limit allows (a huge file is refused, not read)."""
    try:
        with open(path, "rb") as file:
            data = file.read(kind.max_bytes + 1)
    except OSError as error:
        raise InputError(
            Problem("problem.save_unreadable", f"cannot read the file ({type(error).__name__})")
        ) from None
    return data


def check_inflation(data: bytes, kind: SavedFormat) -> None:
    """Refuse an archive whose entries would expand beyond the limits, before anything is expanded."""
    entries, directory_size = _directory_size(data)
    # zipfile builds one object per entry: bound the directory before zipfile reads it.
    if entries > kind.max_entries or directory_size > kind.max_entries * 512:
        raise _inflates(f"{entries} entries in the archive")
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error) as error:
        raise InputError(
            Problem(
                "problem.save_unreadable", f"not a saved Unrolled file ({type(error).__name__})"
            )
        ) from None
    if len(infos) > kind.max_entries:
        raise _inflates(f"{len(infos)} entries in the archive")
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _inflates(f"{info.filename} uses an unknown compression")
        stored = info.compress_type == zipfile.ZIP_STORED
        if stored and info.file_size != info.compress_size:
            raise _inflates(f"{info.filename} declares two sizes")
        if info.file_size > kind.max_ratio * max(info.compress_size, 1024):
            raise _inflates(f"{info.filename} would expand {info.file_size} bytes")
        if info.filename.endswith("data.pkl") and info.file_size > kind.max_pickle:
            raise _inflates(f"{info.filename} declares {info.file_size} bytes")
        total += info.file_size
    if total > kind.max_inflated:
        raise _inflates(f"the archive would expand to {total} bytes")


def _directory_size(data: bytes) -> tuple[int, int]:
    """(entries, bytes) of the zip's central directory, from its end record (and zip64's, if any)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise InputError(Problem("problem.save_unreadable", "not a saved Unrolled file"))
    _, _, _, _, entries, size, _, _ = struct.unpack("<4s4H2LH", data[end : end + 22])
    locator = end - 20
    if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        # zipfile trusts the zip64 record when one is there, so its counts are the ones to bound.
        offset = struct.unpack("<Q", data[locator + 8 : locator + 16])[0]
        record = data[offset : offset + 56]
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            raise InputError(Problem("problem.save_unreadable", "not a saved Unrolled file"))
        _, _, _, _, _, _, _, entries64, size64, _ = struct.unpack("<4sQ2H2L4Q", record)
        entries, size = max(entries, entries64), max(size, size64)
    return entries, size


def _inflates(detail: str) -> InputError:
    return InputError(
        Problem(
            "problem.save_inflates",
            f"the file would expand far beyond its size when read ({detail})",
            {"detail": detail[:120]},
        )
    )
