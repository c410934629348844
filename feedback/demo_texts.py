"""The words of the demo workspaces (``feedback.demo``): notes, goals and ledger items."""

from feedback.models import BenefitItem

PRIVATE_NOTES = [
    "PRIVATE-DEMO: I worry my partner finds me too blunt.",
    "PRIVATE-DEMO: I still have not told my manager that I want to move teams.",
    "PRIVATE-DEMO: I felt talked over today and did not say so.",
    "PRIVATE-DEMO: I should admit that I do not understand the data platform.",
    "PRIVATE-DEMO: I am afraid the promotion panel already decided against me.",
    "PRIVATE-DEMO: I pretended to know the answer; next time I will ask.",
]
SHARED_NOTES = [
    "Went through the quarterly plan; agreed on one stretch goal each.",
    "Practised the difficult conversation with the vendor; swapped feedback.",
    "Mapped who to meet in the next month and why.",
    "Reviewed the draft proposal line by line; lots of direct feedback.",
    "Talked about balancing deadlines with school holidays.",
    "Tried the new analytics tool together on real data.",
]
GOALS = [
    ("Lead a client pitch on my own", "Own the story, the slides and the Q&A."),
    ("Get comfortable with the data platform", "Write my own queries for the weekly report."),
    ("Build a network outside my department", "Meet five people in other teams."),
    ("Negotiate my next pay review with evidence", "Collect outcomes and market data."),
    ("Give feedback that lands", "Use situation–behaviour–impact every week."),
]
ITEMS = [
    (BenefitItem.Kind.INTRODUCTION, "Introduced me to the head of data at the offsite."),
    (BenefitItem.Kind.FEEDBACK, "Gave me direct feedback on my board-update draft."),
    (BenefitItem.Kind.RESOURCE, "Shared the negotiation playbook they use."),
    (BenefitItem.Kind.VISIBILITY, "Credited me by name in the all-hands update."),
    (BenefitItem.Kind.STRETCH, "Handed me the lead on the Q3 customer workshop."),
    (BenefitItem.Kind.ADVOCACY, "Spoke up for me in the promotion calibration."),
]
# What the junior side did for the senior side in the lopsided reverse pair.
SENIOR_RECEIVED = [
    (BenefitItem.Kind.FEEDBACK, "Showed me how my messages read to new joiners."),
    (BenefitItem.Kind.RESOURCE, "Walked me through the team's new collaboration tools."),
    (BenefitItem.Kind.VISIBILITY, "Set up my first livestream Q&A with the graduate intake."),
    (BenefitItem.Kind.FEEDBACK, "Told me plainly that my town halls feel scripted."),
]
