"""A neutral placeholder for the city crest (lambang daerah), drawn here: never a real crest.

A grey shield outline with a five-pointed star, as a PNG written with the
standard library only, so the demo's letters show where the crest goes.
"""
from __future__ import annotations

import math
import struct
import zlib

SIZE = 160


def _inside_shield(x: float, y: float) -> bool:
    """A heater shield in the unit square: straight top half, a pointed bottom."""
    if not 0.12 <= x <= 0.88 or y < 0.06:
        return False
    if y <= 0.55:
        return True
    half = 0.38 * math.sqrt(max(0.0, 1 - ((y - 0.55) / 0.40) ** 2))
    return abs(x - 0.5) <= half


def _inside_star(x: float, y: float, cx=0.5, cy=0.44, r=0.2) -> bool:
    angle = math.atan2(y - cy, x - cx) + math.pi / 2
    dist = math.hypot(x - cx, y - cy)
    sector = (angle % (2 * math.pi / 5)) - math.pi / 5
    inner = r * 0.42
    # The star's edge between an outer point and an inner corner, by polar interpolation.
    edge = inner + (r - inner) * (1 - abs(sector) / (math.pi / 5))
    return dist <= edge


def placeholder_png(size: int = SIZE) -> bytes:
    rows = []
    for j in range(size):
        row = bytearray([0])  # filter: none
        for i in range(size):
            x, y = (i + 0.5) / size, (j + 0.5) / size
            inner = _inside_shield((x - 0.5) / 0.9 + 0.5, (y - 0.5) / 0.9 + 0.5)
            outer = _inside_shield(x, y)
            if outer and not inner:
                px = (90, 90, 90, 255)          # the outline
            elif inner and _inside_star(x, y):
                px = (150, 150, 150, 255)       # the star
            elif inner:
                px = (235, 235, 235, 255)       # the field
            else:
                px = (255, 255, 255, 0)         # transparent
            row += bytes(px)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))
