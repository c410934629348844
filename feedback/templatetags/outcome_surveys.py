"""``{% open_surveys participation as open %}``: the open survey waves of a participation,
for the participant's own "My programme" page (programmes' template includes feedback's
``feedback/outcomes/_my_surveys.html``; programmes never imports feedback)."""

from django import template
from django.utils import timezone

from feedback.selectors.outcomes import surveys_open_for

register = template.Library()


@register.simple_tag
def open_surveys(participant):
    return surveys_open_for(participant=participant, now=timezone.now())
