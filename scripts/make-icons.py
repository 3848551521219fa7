#!/usr/bin/env python3
"""Draws the app icons (assets/icon-*.png): a red square with three white lines, as in assets/icon.svg.

Run once when the icon changes; the PNGs are committed. Standard library only.
"""
import struct
import zlib
from pathlib import Path

RED = (0xA6, 0x1B, 0x1B)
WHITE = (0xFF, 0xFF, 0xFF)


def draw(size: int, rounded: bool) -> bytes:
    unit = size / 64
    radius = 14 * unit if rounded else 0
    lines = [(18, 46, 22), (18, 46, 32), (18, 36, 42)]  # x0, x1, y in the SVG's 64-unit grid
    half = 2.5 * unit
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            cx, cy = min(x, size - 1 - x), min(y, size - 1 - y)
            outside = rounded and cx < radius and cy < radius and (radius - cx) ** 2 + (radius - cy) ** 2 > radius ** 2
            if outside:
                row += bytes((0, 0, 0, 0))
                continue
            colour = RED
            for x0, x1, ly in lines:
                lx0, lx1, lyy = x0 * unit, x1 * unit, ly * unit
                nearest_x = min(max(x + 0.5, lx0), lx1)
                if (x + 0.5 - nearest_x) ** 2 + (y + 0.5 - lyy) ** 2 <= half ** 2:
                    colour = WHITE
            row += bytes((*colour, 255))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


if __name__ == "__main__":
    assets = Path(__file__).resolve().parent.parent / "assets"
    (assets / "icon-192.png").write_bytes(draw(192, True))
    (assets / "icon-512.png").write_bytes(draw(512, True))
    # Maskable: full bleed, the platform cuts its own shape.
    (assets / "icon-512-maskable.png").write_bytes(draw(512, False))
