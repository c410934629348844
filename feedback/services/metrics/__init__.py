"""Per-side benefit metrics: who in each pair really benefits, stored for pages to read.

- ``formula``: the pure formula (components, benefit score, role balance, reciprocity
  index, flags); README.md ("Per-side benefit") states it with worked examples.
- ``figures``: the set-based aggregation (GROUP BY queries per chunk of pairs).
- ``compute``: ``metrics_compute``: figures, formula, and a bulk upsert of what changed.
- ``scheduling``: ``pair_metrics_changed``, the debounced refresh every write calls, and
  ``metrics_refresh_owed``, the sweep that re-queues refreshes whose tasks were lost.
- ``recompute``: an admin's "Recompute now" of a programme, a job whose progress the
  pair-health page shows.
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
from .recompute import metrics_recompute_request, metrics_recompute_run
from .scheduling import (
    DEBOUNCE_SECONDS,
    metrics_refresh_owed,
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
    "metrics_recompute_request",
    "metrics_recompute_run",
    "metrics_refresh_owed",
    "pair_assess",
    "pair_metrics_changed",
    "pending_marker_clear",
    "pending_marker_key",
    "reciprocity_index",
    "role_balance",
]
