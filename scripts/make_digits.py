#!/usr/bin/python3
"""Writes web/data/digits.bin, the handwritten-digits data set the `mlp` and
`logistic_regression` problems train on.

Source: the copy of the UCI "Optical Recognition of Handwritten Digits" test
set (Alpaydin & Kaynak, 1998; CC BY 4.0) that Debian's python3-sklearn ships
as sklearn/datasets/data/digits.csv.gz: 1797 rows of 64 pixel counts in 0..16
(an 8x8 image, row by row) followed by the digit 0..9.

The split into training and validation samples is fixed here, once, and
stored in the file: the rows are shuffled with Python's random.Random(SEED)
and written in that order; the first TRAIN_COUNT rows are the training set,
the rest the validation set. A run's seed never changes it.

File format (all integers little-endian; read by lrlab::ParseDataset in
cpp/src/dataset.cpp, which checks every field):

  offset        size   field
  0             8      magic b"LRLABDS1"
  8             4      u32 N, number of samples (1797)
  12            4      u32 D, features per sample (64)
  16            4      u32 C, number of classes (10)
  20            4      u32 T, training samples: rows 0..T-1 train, T..N-1 validation (1437)
  24            4      u32 M, every feature value is an integer in [0, M] (16)
  28            N*D    u8 feature values, sample after sample
  28+N*D        N      u8 labels in [0, C)
  28+N*D+N      4      u32 FNV-1a (32-bit) hash of every byte before it

Run (never by the tests; the output is committed):
  /usr/bin/python3 scripts/make_digits.py
"""
import csv
import gzip
import pathlib
import random
import struct

SOURCE = pathlib.Path("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz")
OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "web" / "data" / "digits.bin"
SEED = 20240601
TRAIN_COUNT = 1437  # 80 %, the sizes of sklearn's train_test_split(test_size=0.2)
MAGIC = b"LRLABDS1"
NUM_FEATURES = 64
NUM_CLASSES = 10
MAX_VALUE = 16


def fnv1a32(data: bytes) -> int:
    h = 0x811C9DC5
    for byte in data:
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def main() -> None:
    with gzip.open(SOURCE, "rt") as f:
        rows = [[int(float(v)) for v in line] for line in csv.reader(f) if line]
    for row in rows:
        assert len(row) == NUM_FEATURES + 1
        assert all(0 <= v <= MAX_VALUE for v in row[:-1])
        assert 0 <= row[-1] < NUM_CLASSES
    random.Random(SEED).shuffle(rows)

    body = bytearray(MAGIC)
    body += struct.pack("<5I", len(rows), NUM_FEATURES, NUM_CLASSES, TRAIN_COUNT, MAX_VALUE)
    for row in rows:
        body += bytes(row[:-1])
    body += bytes(row[-1] for row in rows)
    body += struct.pack("<I", fnv1a32(bytes(body)))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(bytes(body))
    train_labels = [row[-1] for row in rows[:TRAIN_COUNT]]
    print(f"wrote {OUTPUT} ({len(body)} bytes): {len(rows)} samples, {TRAIN_COUNT} train, "
          f"{len(rows) - TRAIN_COUNT} validation; train class counts "
          f"{[train_labels.count(c) for c in range(NUM_CLASSES)]}")


if __name__ == "__main__":
    main()
