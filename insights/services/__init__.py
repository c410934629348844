"""Writes of the insights app: only the stored summaries' refresh (``refresh``)."""

from .refresh import dashboard_refresh, dashboard_refresh_all

__all__ = ["dashboard_refresh", "dashboard_refresh_all"]
