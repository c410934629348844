"""Per-side benefit metrics: who in each pair really benefits, stored for pages to read.

- ``formula``: the pure formula (components, benefit score, role balance, reciprocity
  index, flags); README.md ("Per-side benefit") states it with worked examples.
- ``figures``: the set-based aggregation (GROUP BY queries per chunk of pairs).
- ``compute``: ``metrics_compute``: figures, formula, and a bulk upsert of what changed.
- ``scheduling``: ``pair_metrics_changed``, the debounced refresh every write calls.
"""

from .compute import COMPUTED_STATUSES, metrics_compute, metrics_pair_ids_for_programme
from .formula import (
    BenefitWeights,
    PairContext,
    PairFigures,
    SideFigures,
    benefit_score,
    pair_assess,
    reciprocity_index,
    role_balance,
)
from .scheduling import (
    DEBOUNCE_SECONDS,
    metrics_refresh_programme_request,
    pair_metrics_changed,
    pending_marker_clear,
    pending_marker_key,
)

__all__ = [
    "COMPUTED_STATUSES",
    "DEBOUNCE_SECONDS",
    "BenefitWeights",
    "PairContext",
    "PairFigures",
    "SideFigures",
    "benefit_score",
    "metrics_compute",
    "metrics_pair_ids_for_programme",
    "metrics_refresh_programme_request",
    "pair_assess",
    "pair_metrics_changed",
    "pending_marker_clear",
    "pending_marker_key",
    "reciprocity_index",
    "role_balance",
]
