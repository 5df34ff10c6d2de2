"""Forms of the programs pages: shape only; the services check the rules and the model, and save."""

from django import forms

from programs.models import Portfolio, Program, Project

# Portfolios, programs and projects
# -----------------------------------------------------------------------------
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StructureForm(forms.ModelForm):
    """A portfolio's, program's or project's fields and, when editing, the hidden version it is based on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, with_version: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if with_version:
            self.fields["version"].required = True
        else:
            del self.fields["version"]
        for name in ("manager", "owner"):
            if name in self.fields:
                self.fields[name].queryset = (
                    self.fields[name]
                    .queryset.filter(is_active=True)
                    .order_by("first_name", "last_name", "username", "id")
                )
                self.fields[name].label_from_instance = lambda user: user.get_full_name() or user.username

    def _post_clean(self):
        """Shape only: the service runs the model's checks (and reports them on the fields)."""

    def data_for_service(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class PortfolioForm(StructureForm):
    class Meta:
        model = Portfolio
        fields = ["name", "description", "owner", "fiscal_year", "budget"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ProgramForm(StructureForm):
    class Meta:
        model = Program
        fields = ["name", "description", "manager", "status", "budget", "start_date", "end_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "start_date": DATE, "end_date": DATE}


class ProjectForm(StructureForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "description",
            "manager",
            "product",
            "status",
            "start_date",
            "end_date",
            "budget",
            "health_override",
            "business_value",
            "time_criticality",
            "risk_reduction",
            "job_size",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "start_date": DATE, "end_date": DATE}
