"""Wilson score intervals for proportions (95 %), and the mean with its normal interval."""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


@dataclass(frozen=True)
class Proportion:
    """``successes`` of ``n`` people, with its 95 % Wilson interval (0–1)."""

    successes: int
    n: int
    low: float
    high: float

    @property
    def rate(self) -> float | None:
        return self.successes / self.n if self.n else None


def wilson(successes: int, n: int, *, z: float = Z_95) -> Proportion:
    """The Wilson score interval of ``successes / n`` (0–1; ``0, 1`` when ``n`` is 0).

    centre = (p + z²/2n) / (1 + z²/n); half-width = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n).
    Unlike the normal ("Wald") interval it stays inside 0–1 and is sound for small n
    and for rates near 0 or 1.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return Proportion(successes=0, n=0, low=0.0, high=1.0)
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # At 0 or n the exact bound is 0 or 1; floating point would give 1e-17 or 0.99999….
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Proportion(successes=successes, n=n, low=low, high=high)


@dataclass(frozen=True)
class Mean:
    """The mean of ``n`` values with a 95 % normal interval (``None`` bounds when n < 2)."""

    value: float | None
    n: int
    low: float | None
    high: float | None


def mean_interval(values: list[float], *, z: float = Z_95) -> Mean:
    """Mean ± z·s/√n, s the sample standard deviation (n − 1)."""
    n = len(values)
    if n == 0:
        return Mean(value=None, n=0, low=None, high=None)
    mean = sum(values) / n
    if n < 2:
        return Mean(value=mean, n=n, low=None, high=None)
    variance = sum([(v - mean) ** 2 for v in values]) / (n - 1)
    half = z * math.sqrt(variance / n)
    return Mean(value=mean, n=n, low=mean - half, high=mean + half)
