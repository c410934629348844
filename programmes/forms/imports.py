"""The CSV import's upload and apply forms."""

from django import forms

from programmes.services.imports import MAX_FILE_BYTES

UPDATE_LABEL = "Update people already in this cohort"
UPDATE_HELP = (
    "Rows whose email is already in this cohort change that person's name, department, "
    "location, job title, level, manager and time zone (empty cells keep what is there; "
    "skills are the person's own answers and never change). Unticked, such rows are refused."
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 (Excel: “CSV UTF-8”), up to 5 MB, first line naming the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    update = forms.BooleanField(label=UPDATE_LABEL, required=False, help_text=UPDATE_HELP)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB. "
                "Split it into several files and import them one after the other."
            )
        return upload


class ImportApplyForm(forms.Form):
    add_unknown_skills = forms.BooleanField(required=False)
    update_existing = forms.BooleanField(required=False)
    # The "Import the N good rows and skip the M with errors" button.
    skip_errors = forms.BooleanField(required=False)
    # How many good rows the admin saw: apply refuses if the check now gives another number.
    expected = forms.IntegerField(required=False, min_value=0)
