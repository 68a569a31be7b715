"""The upload form: one file, checked for size and type before the kind reads it."""

from django import forms

from .enums import FileFormat
from .kinds import MAX_BYTES, ImportFileError, ImportKind, file_format_of


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        error_messages={"required": "Choose a file to upload"},
        widget=forms.FileInput(),
    )

    def __init__(self, *args, kind: ImportKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        words = " or ".join(FileFormat(f).label for f in kind.formats)
        field = self.fields["file"]
        field.label = f"{words} file"
        field.help_text = f"A {words} file saved as UTF-8, smaller than {MAX_BYTES // 2**20}MB."
        field.widget.attrs["accept"] = ",".join(f".{f}" for f in kind.formats)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            file_format_of(upload.name, self.kind.formats)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_BYTES // 2**20}MB"
            )
        return upload
