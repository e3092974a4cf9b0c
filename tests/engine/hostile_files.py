"""Hostile ``torch.save``-like files built by hand: zip bombs, storages that claim gigabytes, huge pickles.

The pickle is written the way torch.save writes it (a persistent id per storage), but by our own
Pickler, so a tensor can claim any size whatever its record holds."""

from __future__ import annotations

import collections
import io
import pickle
import zipfile

import torch


class Storage:
    """A storage the pickle refers to: record ``key`` of the archive, claiming ``numel`` elements."""

    def __init__(self, key: str, numel: int, kind: type = torch.FloatStorage) -> None:
        self.key, self.numel, self.kind = key, numel, kind


class FakeTensor:
    """Pickles as torch's own tensor rebuild over a Storage, contiguous, of any shape."""

    def __init__(self, storage: Storage, shape: tuple[int, ...]) -> None:
        self.storage, self.shape = storage, tuple(shape)

    def __reduce__(self):
        stride, size = [], 1
        for dim in reversed(self.shape):
            stride.insert(0, size)
            size *= dim
        rebuild = torch._utils._rebuild_tensor_v2
        return (
            rebuild,
            (self.storage, 0, self.shape, tuple(stride), False, collections.OrderedDict()),
        )


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: object) -> object:
        if isinstance(obj, Storage):
            return ("storage", obj.kind, obj.key, "cpu", obj.numel)
        return None


def pickled(payload: object) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=2).dump(payload)
    return buffer.getvalue()


def torch_zip(
    pickle_bytes: bytes,
    records: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_STORED,
    extra_entries: int = 0,
) -> bytes:
    """An archive laid out as torch.save lays it out (``archive/data.pkl``, ``archive/data/<key>``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        archive.writestr("archive/data.pkl", pickle_bytes)
        archive.writestr("archive/.format_version", "1")
        archive.writestr("archive/.storage_alignment", "64")
        archive.writestr("archive/byteorder", "little")
        for key, data in (records or {}).items():
            archive.writestr(f"archive/data/{key}", data)
        for index in range(extra_entries):
            archive.writestr(f"archive/extra/{index}", b"")
        archive.writestr("archive/version", "3\n")
    return out.getvalue()
