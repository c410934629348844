"""The import's columns, their limits, the problem codes and the template's example rows.

Columns: ``email, first_name, last_name, department, location, job_title, seniority,
manager_email, time_zone, skills_offered, skills_wanted``; skills are ``;``-separated
names from the programme's vocabulary. Only ``email`` is required.
"""

COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "department",
    "location",
    "job_title",
    "seniority",
    "manager_email",
    "time_zone",
    "skills_offered",
    "skills_wanted",
)
SKILL_COLUMNS = ("skills_offered", "skills_wanted")
MAX_FILE_BYTES = 5 * 1024 * 1024
SKILL_SEPARATOR = ";"
# Longest text each column may hold (the model's max_length).
MAX_LENGTHS = {
    "first_name": 150,
    "last_name": 150,
    "department": 120,
    "location": 120,
    "job_title": 160,
}
SKILL_MAX_LENGTH = 100

# The columns an import may change for a person already in the cohort ("update existing
# people"): the profile fields the admin owns. Skills are the person's own answers.
UPDATABLE_COLUMNS = (
    "first_name",
    "last_name",
    "department",
    "location",
    "job_title",
    "seniority",
    "manager_email",
    "time_zone",
)

# Problem codes. Errors block their row; warnings (an unknown skill, the manager ones) do
# not: an unknown skill is added to the vocabulary when the admin ticks the box, and left
# out of the person's skills otherwise.
MISSING_EMAIL = "missing_email"
INVALID_EMAIL = "invalid_email"
DUPLICATE_ROW = "duplicate_row"
ALREADY_ENROLLED = "already_enrolled"
UNKNOWN_TIME_ZONE = "unknown_time_zone"
SENIORITY_RANGE = "seniority_out_of_range"
UNKNOWN_SKILL = "unknown_skill"
TOO_LONG = "too_long"
MANAGER_NOT_FOUND = "manager_not_found"
MANAGER_INVALID = "manager_invalid"
PROBLEM_LABELS = {
    MISSING_EMAIL: "Missing email",
    INVALID_EMAIL: "Invalid email",
    DUPLICATE_ROW: "Duplicate row",
    ALREADY_ENROLLED: "Already in the programme",
    UNKNOWN_TIME_ZONE: "Unknown time zone",
    SENIORITY_RANGE: "Seniority not 1–10",
    UNKNOWN_SKILL: "Unknown skill (warning)",
    TOO_LONG: "Text too long",
    MANAGER_NOT_FOUND: "Manager not in the cohort (warning)",
    MANAGER_INVALID: "Manager email ignored (warning)",
}


def import_template_rows() -> list[list[str]]:
    """The template's example rows (a manager and a report, skills ``;``-separated)."""
    return [
        [
            "amira.haddad@example.com",
            "Amira",
            "Haddad",
            "Finance",
            "London",
            "Head of Financial Planning",
            "8",
            "",
            "Europe/London",
            "Budgeting; Negotiation",
            "Data analysis",
        ],
        [
            "leo.martin@example.com",
            "Leo",
            "Martin",
            "Engineering",
            "Lisbon",
            "Software Engineer",
            "3",
            "amira.haddad@example.com",
            "Europe/Lisbon",
            "Data analysis",
            "Negotiation; Public speaking",
        ],
    ]
