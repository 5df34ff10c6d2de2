"""Forms of the programs pages: they check shape; the services check the rules and save."""

from django import forms

from portfolio.core.models import KeyResult, StrategicObjective

# --- Strategy -----------------------------------------------------------------------------------------


class ObjectiveForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = StrategicObjective
        fields = ["title", "description", "owner", "parent", "start_date", "end_date", "weight", "status"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = self.fields["owner"].queryset.filter(is_active=True).order_by("username")
        parents = StrategicObjective.objects.order_by("title")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def _post_clean(self):
        """Leave model validation to the service (it runs ``full_clean()`` after the rules)."""


class KeyResultForm(forms.ModelForm):
    class Meta:
        model = KeyResult
        fields = ["title", "unit", "start_value", "target_value", "current_value"]

    def _post_clean(self):
        """Leave model validation to the service (it runs ``full_clean()`` after the rules)."""
