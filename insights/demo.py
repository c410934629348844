"""The HR dashboard's part of the demo: fill its summaries from the seeded programmes.

``seed()`` follows the demo seeders' contract (``mentoring.demo``): it runs after
feedback's (metrics, surveys, outcomes) and returns notes for the logins.
"""

from mentoring.demo import HR_VIEWERS, DemoLogin

from .services import dashboard_refresh_all


def seed() -> list[DemoLogin]:
    dashboard_refresh_all()
    return [
        DemoLogin("hr", email, "sees the programmes' dashboards under “Outcome dashboards”")
        for email, *_ in HR_VIEWERS
    ]
