"""``{% chart_table chart %}``: a chart's accessible data table, rendered in Python.

Fifteen tables of a dozen cells each cost far less as one ``format_html`` pass than as
nested template loops (the dashboard's main cost). Every text is escaped.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from insights.aggregates import Chart

register = template.Library()


@register.simple_tag
def chart_table(chart: Chart) -> SafeString:
    table = chart.table
    header = format_html_join(
        "", '<th scope="col" class="text-end">{}</th>', ((c.label,) for c in table.columns)
    )
    rows = []
    for row in table.rows:
        cells = format_html_join(
            "",
            '<td class="text-end{}"{}>{}</td>',
            (
                (
                    " text-body-secondary fst-italic" if cell.suppressed else "",
                    SafeString(' data-suppressed="true"') if cell.suppressed else "",
                    cell.text,
                )
                for cell in row.cells
            ),
        )
        rows.append(
            format_html(
                '<tr{}><th scope="row" class="{}">{}</th>{}</tr>',
                SafeString(' class="table-group-divider fw-semibold"') if row.total else "",
                "fw-semibold" if row.total else "fw-normal",
                row.label,
                cells,
            )
        )
    return format_html(
        '<table class="table table-sm small mb-0" data-testid="table-{}">'
        '<caption class="visually-hidden">{}</caption>'
        '<thead class="table-light"><tr><th scope="col">{}</th>{}</tr></thead>'
        "<tbody>{}</tbody></table>",
        chart.key,
        chart.title,
        table.row_header,
        header,
        SafeString("".join(rows)),
    )
