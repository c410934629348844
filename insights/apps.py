from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """The HR dashboard: aggregates of a programme, never anything about one person.

    The top floor: it may read every app below it, and nothing imports it.
    """

    name = "insights"
    verbose_name = "Insights (HR dashboard)"
