"""Per-side benefit metrics. (Being built for issue 6: this module's owner replaces the body.)"""


def pair_metrics_changed(*, pair_id: int) -> None:
    """Call after any write that affects a pair's metrics; schedules a debounced recompute."""
