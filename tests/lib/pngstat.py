#!/usr/bin/env python3
"""pngstat.py FILE: print "WIDTH HEIGHT NONWHITE_PERCENT STDDEV" of an 8-bit
RGB or RGBA PNG (as Chromium, pdftoppm and cairo write them), decoded with
zlib alone, so that a test can tell a blank picture from a drawn one."""
import struct
import sys
import zlib


def pixels(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        sys.exit(path + ': not a PNG')
    pos, idat, width = 8, b'', 0
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
            if depth != 8 or colour not in (2, 6) or interlace:
                sys.exit(path + ': not 8-bit RGB(A), non-interlaced')
            bpp = 3 if colour == 2 else 4
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def main():
    width, height, bpp, rows = pixels(sys.argv[1])
    n = nonwhite = 0
    total = total2 = 0.0
    for line in rows[::2]:
        for x in range(0, width * bpp, bpp * 2):
            v = (line[x] + line[x + 1] + line[x + 2]) / 3
            n += 1
            total += v
            total2 += v * v
            nonwhite += v < 245
    mean = total / n
    print(width, height, round(100.0 * nonwhite / n, 2),
          round(max(total2 / n - mean * mean, 0) ** 0.5, 2))


main()
