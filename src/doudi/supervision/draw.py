"""The draw itself, pure (no database): the same seed over the same ordered candidates and inspector pool gives the
same sample, on any machine and any Python 3 (``random.Random`` with an integer seed is the Mersenne Twister, whose
sequence Python keeps stable; ``sample`` over a list is part of that contract).

Anyone re-running a published draw needs: the seed, the ordered candidate ids (their digest is published so the
list can be checked), the inspector pool and the two counts. Inspectors are drawn per item from the pool minus
anyone who works where the household lives (回避).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def digest(ids: Sequence[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()


@dataclass(frozen=True)
class Drawn:
    candidate: int
    inspectors: tuple[int, ...]


def draw(*, seed: int, candidates: Sequence[int], pool: Sequence[int], sample_size: int, per_item: int,
         excluded: Callable[[int, int], bool] = lambda candidate, inspector: False) -> list[Drawn]:
    """Draw ``sample_size`` candidates, then ``per_item`` inspectors for each, in order, from one generator.

    ``candidates`` and ``pool`` must be sorted (callers sort by id); ``excluded(candidate, inspector)`` says who may
    not inspect whom. An item gets fewer inspectors only when the pool allows no more."""
    rng = random.Random(seed)
    chosen = rng.sample(list(candidates), min(sample_size, len(candidates)))
    out = []
    for candidate in chosen:
        eligible = [i for i in pool if not excluded(candidate, i)]
        out.append(Drawn(candidate, tuple(sorted(rng.sample(eligible, min(per_item, len(eligible)))))))
    return out
