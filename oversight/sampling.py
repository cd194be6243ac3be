"""How many payees a 回访 round visits, and which: Cochran's sample size for a proportion (p = 0.5, the most
cautious) with the finite-population correction, as HOPE sizes its verification samples; then a seeded random
sample, so the same round always names the same people."""

import math
import random
from decimal import Decimal

Z = {90: Decimal("1.645"), 95: Decimal("1.96"), 99: Decimal("2.576")}


def sample_size(population: int, *, confidence: int = 95, margin_percent: Decimal = Decimal(5)) -> int:
    """n₀ = z² · p(1 − p) ÷ e²; n = n₀ ÷ (1 + (n₀ − 1) ÷ N), rounded up; everyone when N ≤ n."""
    if population <= 0:
        return 0
    e = Decimal(margin_percent) / 100
    n0 = Z[confidence] ** 2 * Decimal("0.25") / (e * e)
    n = n0 / (1 + (n0 - 1) / population)
    return min(population, math.ceil(n))


def draw(ids: list[int], size: int, seed: int) -> list[int]:
    """`size` of `ids`, the same for the same seed whatever order the ids came in."""
    return sorted(random.Random(seed).sample(sorted(ids), size))
