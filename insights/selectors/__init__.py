"""Reads for the HR dashboard: stored metrics and summaries in, charts out.

- ``load``: the constant number of queries a dashboard costs, into plain rows;
- ``dashboard``: those rows through ``insights.aggregates`` into sections of charts.
"""

from .dashboard import Dashboard, Section, dashboard_build, dashboard_chart

__all__ = ["Dashboard", "Section", "dashboard_build", "dashboard_chart"]
