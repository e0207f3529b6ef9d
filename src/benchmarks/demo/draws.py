"""Seeded randomness: reproducible draws from a text key, the same on any Python."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from statistics import NormalDist
from typing import TypeVar

_NORMAL = NormalDist()
T = TypeVar("T")


class Draws:
    """Reproducible pseudo-random draws from a text key (hash-based, any Python version)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.n = 0

    def random(self) -> float:
        self.n += 1
        digest = hashlib.blake2b(f"{self.key}#{self.n}".encode(), digest_size=8).digest()
        return (int.from_bytes(digest, "big") >> 11) / 2**53

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def gauss(self, mu: float = 0.0, sigma: float = 1.0) -> float:
        return mu + sigma * _NORMAL.inv_cdf(min(max(self.random(), 1e-12), 1 - 1e-12))

    def choice(self, options: Sequence[T]) -> T:
        return options[min(int(self.random() * len(options)), len(options) - 1)]
