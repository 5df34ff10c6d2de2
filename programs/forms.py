"""Forms of the programs app's pages: shape only; the rules and the checks are the services'."""

from django import forms

from portfolio.core.models import StrategicObjective
from programs.models import CostEntry, Dependency, Milestone, Project, ProjectObjective

# --- Delivery: milestones, dependencies, cost entries, a project's objectives --------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "due_date", "is_key", "completed_on"]
        widgets = {"due_date": DATE_INPUT, "completed_on": DATE_INPUT}
        labels = {"is_key": "Key milestone", "completed_on": "Done on"}


class MilestoneEditForm(MilestoneForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VersionForm(forms.Form):
    """A one-click step (complete, reopen) on the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DependencyForm(forms.Form):
    """A link from the page's project to another project of its portfolio."""

    kind = forms.ChoiceField(choices=Dependency.Kind.choices, initial=Dependency.Kind.BLOCKS, label="This project")
    to_project = forms.ModelChoiceField(queryset=Project.objects.none(), label="Project")
    note = forms.CharField(max_length=250, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_project"].queryset = candidates


class CostEntryForm(forms.ModelForm):
    class Meta:
        model = CostEntry
        fields = ["date", "category", "amount", "note"]
        widgets = {"date": DATE_INPUT}


class AlignmentForm(forms.ModelForm):
    objective = forms.ModelChoiceField(queryset=StrategicObjective.objects.order_by("title"))

    class Meta:
        model = ProjectObjective
        fields = ["objective", "contribution"]
        widgets = {"contribution": forms.Select(choices=[(1, "1 · some"), (2, "2 · strong"), (3, "3 · essential")])}


class ContributionForm(forms.Form):
    contribution = forms.TypedChoiceField(
        choices=[(1, "1 · some"), (2, "2 · strong"), (3, "3 · essential")], coerce=int, label="Contribution"
    )
