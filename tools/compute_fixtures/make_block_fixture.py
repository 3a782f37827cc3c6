#!/usr/bin/env python3
"""Writes tests/inference/compute/fixtures/blocks.bin: random GGUF blocks of every weight type
with their values as dequantized by the `gguf` package (gguf-py, llama.cpp's own Python
reader), so that the C++ reference dequantizers are checked against an independent one.

Dev-time only:  python3 -m venv /tmp/v && /tmp/v/bin/pip install gguf==0.19.0
                /tmp/v/bin/python tools/compute_fixtures/make_block_fixture.py

File layout (little-endian), repeated per type:
  u32 ggml type id, u32 value count n, u32 byte count b, b bytes of blocks, n float32 values.
"""
import struct
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType as T
from gguf.constants import GGML_QUANT_SIZES
from gguf.quants import dequantize

# Byte offsets of the fp16 scale fields in each block, so that random bytes stay finite.
HALF_FIELDS = {
    T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0],
    T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208],
}
BLOCKS = 4


def main():
    rng = np.random.default_rng(20261125)
    out = bytearray()
    for qtype, fields in HALF_FIELDS.items():
        block_size, type_size = GGML_QUANT_SIZES[qtype]
        raw = rng.integers(0, 256, size=(BLOCKS, type_size), dtype=np.uint8)
        for b in range(BLOCKS):
            for off in fields:
                scale = np.float16(rng.uniform(-0.05, 0.05))
                raw[b, off:off + 2] = np.frombuffer(scale.tobytes(), dtype=np.uint8)
        values = dequantize(raw.reshape(-1), qtype).astype(np.float32).reshape(-1)
        assert values.size == BLOCKS * block_size
        out += struct.pack("<III", int(qtype), values.size, raw.size)
        out += raw.tobytes() + values.tobytes()
    for qtype, dtype in ((T.F16, np.float16), (T.BF16, None)):
        x = rng.standard_normal(64).astype(np.float32)
        if dtype is not None:
            raw = x.astype(np.float16).view(np.uint8)
        else:  # bf16: the top half of float32 bits (truncated input, so exact either way)
            raw = (x.view(np.uint32) >> 16).astype(np.uint16).view(np.uint8)
        values = dequantize(raw, qtype).astype(np.float32).reshape(-1)
        out += struct.pack("<III", int(qtype), values.size, raw.size)
        out += raw.tobytes() + values.tobytes()
    path = Path(__file__).resolve().parents[2] / "tests/inference/compute/fixtures/blocks.bin"
    path.write_bytes(bytes(out))
    print(f"wrote {path} ({len(out)} bytes)")


if __name__ == "__main__":
    main()
