"""Forms of the programs app's pages: they check the shape of what is posted; the services decide the rest."""

from django import forms

from products.forms import DateInput
from programs.models import RAG

# --- Status reports ------------------------------------------------------------------------------


class StatusReportForm(forms.Form):
    """A draft's change: its period, the four colours and the four texts, on the version the manager saw."""

    period_end = forms.DateField(widget=DateInput(), label="Period end", help_text="The last day the report covers.")
    overall = forms.ChoiceField(choices=RAG.choices)
    schedule = forms.ChoiceField(choices=RAG.choices)
    budget = forms.ChoiceField(choices=RAG.choices)
    scope = forms.ChoiceField(choices=RAG.choices)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    accomplishments = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    next_steps = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Next steps")
    blockers = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data


class StatusReportPublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
