"""The CSV import's upload and apply forms."""

from django import forms

from programmes.services.imports import MAX_FILE_BYTES


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 (Excel: “CSV UTF-8”), up to 5 MB, first line naming the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

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
