from django import forms
from django.utils.translation import gettext_lazy as _

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": f".xlsx,{XLSX_MIME}", "class": "form-control"}
        ),
    )
