"""A deterministic demonstration dataset in the publishers' exact layouts (invented values).

`write_demo(dest)` writes every file of the official data folder (same subfolders, file
names, columns, sheets and header rows) for the real local authorities, with plausible
values drawn from a seeded generator. Nothing in it is real data except the authorities'
public names, codes and regions. The folder carries a `DEMONSTRATION_DATA` marker file so
everything downstream can say so. `ensure(dest)` is the first-run step: it writes the
dataset only when none is there, and says so on stderr.

One module per publication, mirroring `benchmarks.sources`: `workforce`,
`children_in_need`, `looked_after`, `outcomes`, `population`, `authorities`, `neighbours`,
`inspections`, `ofsted_2023` and `d2i`; and a small core: `draws` (seeded randomness),
`world` (the invented values), `places` (the real authority list), `files` (the file
formats), `ees` (the EES CSV layout) and `dataset` (the whole folder, written atomically).
"""

from __future__ import annotations

from benchmarks.demo.dataset import ensure, generate, write_demo
from benchmarks.schema import MARKER_CODES

#: The status markers a published cell can hold (every one appears in the dataset).
MARKERS = tuple(m for m in MARKER_CODES if m != "missing")

__all__ = ["MARKERS", "ensure", "generate", "write_demo"]
