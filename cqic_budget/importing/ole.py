"""A minimal, bounded reader of OLE2 compound files (.xls, encrypted OOXML): stream names and contents.

Only what the safety checks need; every chain is followed with loop and range checks, so a damaged or
hostile container ends in `Refused("corrupt")`, never in a hang or a huge allocation.
"""

from __future__ import annotations

import struct

from cqic_budget.importing.refusal import CORRUPT, Refused

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END_OF_CHAIN, _FAT_SECT, _DIFAT_SECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
_STREAM, _ROOT = 2, 5


class CompoundFile:
    """Directory and streams of an OLE2 file held in memory (the file size limit applies first)."""

    def __init__(self, data: bytes):
        if len(data) < 512 or not data.startswith(SIGNATURE):
            raise Refused(CORRUPT)
        self.data = data
        (sector_shift, mini_shift) = struct.unpack_from("<HH", data, 0x1E)
        if sector_shift not in (9, 12) or mini_shift != 6:
            raise Refused(CORRUPT)
        self.sector_size = 1 << sector_shift
        self.mini_size = 1 << mini_shift
        (n_fat, first_dir, _sig, self.mini_cutoff, first_minifat, n_minifat, first_difat, n_difat) = (
            struct.unpack_from("<IIIIIIII", data, 0x2C)
        )
        self.n_sectors = max(
            0, (len(data) - 512) // self.sector_size + (1 if (len(data) - 512) % self.sector_size else 0)
        )
        self.fat = self._load_fat(n_fat, first_difat, n_difat)
        self.entries = self._load_directory(first_dir)
        root = next((e for e in self.entries if e[1] == _ROOT), None)
        if root is None:
            raise Refused(CORRUPT)
        self.minifat = self._chain_ints(first_minifat) if n_minifat else []
        self.ministream = self._read_chain(root[2], root[3]) if root[3] else b""

    def _sector(self, number: int) -> bytes:
        if number >= self.n_sectors:
            raise Refused(CORRUPT)
        start = 512 + number * self.sector_size
        return self.data[start : start + self.sector_size].ljust(self.sector_size, b"\0")

    def _load_fat(self, n_fat: int, first_difat: int, n_difat: int) -> list[int]:
        fat_sectors = [s for s in struct.unpack_from("<109I", self.data, 0x4C) if s < _DIFAT_SECT]
        per_difat = self.sector_size // 4 - 1
        sector, seen = first_difat, 0
        while sector < _DIFAT_SECT and seen <= n_difat:
            values = struct.unpack(f"<{per_difat + 1}I", self._sector(sector))
            fat_sectors.extend(s for s in values[:-1] if s < _DIFAT_SECT)
            sector, seen = values[-1], seen + 1
        if len(fat_sectors) > self.n_sectors + 1:
            raise Refused(CORRUPT)
        fat: list[int] = []
        for s in fat_sectors[: max(n_fat, 0) or len(fat_sectors)]:
            fat.extend(struct.unpack(f"<{self.sector_size // 4}I", self._sector(s)))
        return fat

    def _chain(self, start: int, table: list[int], limit: int) -> list[int]:
        chain, sector = [], start
        while sector not in (_END_OF_CHAIN, _FREE):
            if sector >= len(table) or len(chain) > limit:
                raise Refused(CORRUPT)
            chain.append(sector)
            sector = table[sector]
        return chain

    def _read_chain(self, start: int, size: int) -> bytes:
        sectors = self._chain(start, self.fat, self.n_sectors)
        data = b"".join(self._sector(s) for s in sectors)
        if len(data) < size:
            raise Refused(CORRUPT)
        return data[:size]

    def _chain_ints(self, start: int) -> list[int]:
        raw = b"".join(self._sector(s) for s in self._chain(start, self.fat, self.n_sectors))
        return list(struct.unpack(f"<{len(raw) // 4}I", raw))

    def _load_directory(self, first_dir: int) -> list[tuple[str, int, int, int]]:
        raw = b"".join(self._sector(s) for s in self._chain(first_dir, self.fat, self.n_sectors))
        entries = []
        for offset in range(0, len(raw) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", raw, offset + 64)
            if kind not in (1, _STREAM, _ROOT) or not 2 <= name_len <= 64:
                continue
            name = raw[offset : offset + name_len - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", raw, offset + 116)
            if self.sector_size == 512:
                size &= 0xFFFFFFFF  # version 3 files: the high half is undefined
            entries.append((name, kind, start, size))
        return entries

    def find(self, *names: str) -> str | None:
        """The first stream whose name matches one of `names`, case-insensitively."""
        wanted = [n.lower() for n in names]
        for name in wanted:
            for entry, kind, _s, _z in self.entries:
                if kind == _STREAM and entry.lower() == name:
                    return entry
        return None

    def read(self, name: str) -> bytes:
        for entry, kind, start, size in self.entries:
            if kind == _STREAM and entry == name:
                if size > len(self.data) * 2:
                    raise Refused(CORRUPT)
                if size < self.mini_cutoff:
                    sectors = self._chain(start, self.minifat, len(self.ministream) // self.mini_size)
                    chunks = []
                    for s in sectors:
                        begin = s * self.mini_size
                        if begin + self.mini_size > len(self.ministream):
                            raise Refused(CORRUPT)
                        chunks.append(self.ministream[begin : begin + self.mini_size])
                    data = b"".join(chunks)
                    if len(data) < size:
                        raise Refused(CORRUPT)
                    return data[:size]
                return self._read_chain(start, size)
        raise KeyError(name)
