#!/usr/bin/env python3
"""write_trace.py OUT: a three-event trace written from docs/trace-format.md
alone, as a tool outside gomemviz would write one: an ALLOC, its FREE, and a
FREE of an address nothing was allocated at (the viewer must ignore it and
`gomemviz check` must say so).  Field kinds and type numbers are the ones the
document and core/event.h give: ALLOC 0 "aurusuuu", FREE 2 "au"."""
import struct
import sys
import zlib


def varint(v):
    out = bytearray()
    while True:
        b, v = v & 0x7F, v >> 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def zigzag(v):
    return (v << 1) if v >= 0 else ((-v) << 1) - 1


def chunk(tag, payload):
    body = tag + struct.pack("<I", len(payload)) + payload
    return body + struct.pack("<I", zlib.crc32(body))


def main(path):
    header = b"\x89GMV\r\n\x1a\n" + struct.pack(
        "<IHHBBHIHHIQI", 0x01020304, 3, 48, 1, 8, 64, 32768, 8, 0, 8192, 0xC000000000, 0)
    header += struct.pack("<I", zlib.crc32(header))
    heap = 0xC000000000
    # ALLOC addr size rounded(relative to size) class type kind space g
    ev = bytes([0]) + varint(zigzag(heap)) + varint(16) + varint(zigzag(0)) + varint(2)
    ev += varint(0) * 4
    ev += bytes([2]) + varint(zigzag(0)) + varint(16)        # FREE it (address delta 0)
    ev += bytes([2]) + varint(zigzag(0x1000)) + varint(16)   # FREE of nothing
    events = chunk(b"EVTS", varint(0) + varint(3) + ev)
    end = chunk(b"ENDT", varint(3) + varint(1))
    with open(path, "wb") as f:
        f.write(header + events + end)


if __name__ == "__main__":
    main(sys.argv[1])
