"""Forms of the programs app's pages: they check the shape of what is posted; the services decide the rest."""

from django import forms

from portfolio.core.models import KeyResult, StrategicObjective
from products.forms import DateInput
from programs.models import RAG, CostEntry, Dependency, Milestone, Portfolio, Program, Project, ProjectObjective

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


# --- Capacity: the heat map's filter, resources, allocations ---------------------------------------------------
from programs import selectors  # noqa: E402
from programs.models import Resource  # noqa: E402

FUNCTION_CHOICES = Resource._meta.get_field("function").choices


class HeatMapFilterForm(forms.Form):
    """The heat map's period and function; an empty date takes the default (this week and the 12 after it)."""

    start = forms.DateField(widget=DATE_INPUT, required=False, label="From", help_text="A day of the first week.")
    end = forms.DateField(widget=DATE_INPUT, required=False, label="To", help_text="A day of the last week.")
    function = forms.ChoiceField(choices=[("", "All functions"), *FUNCTION_CHOICES], required=False)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["start"], data["end"] = selectors.heat_map_period(
            start=data.get("start"), end=data.get("end"), today=self.today
        )
        for field, message in selectors.heat_map_period_errors(start=data["start"], end=data["end"]).items():
            self.add_error(field, message)
        return data


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["name", "user", "function", "capacity_hours", "cost_rate", "active"]
        labels = {"capacity_hours": "Capacity (hours a week)", "cost_rate": "Cost rate (per hour)", "user": "Sign-in"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = self.fields["user"].queryset.order_by("username")


class ResourceEditForm(ResourceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AvailabilityChoiceField(forms.ModelChoiceField):
    """Active people, each labelled with their function and what is free of them in the period shown."""

    def __init__(self, *args, free: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.free = free

    def label_from_instance(self, obj):
        free = self.free.get(obj.pk)
        tail = "" if free is None else f" — {free} % free"
        return f"{obj.name} ({obj.get_function_display()}){tail}"


class AllocationForm(forms.Form):
    resource = AvailabilityChoiceField(queryset=Resource.objects.none(), label="Person", free={})
    percent = forms.IntegerField(
        min_value=1,
        max_value=100,
        label="Percent of their capacity",
        error_messages={
            "min_value": "Percent must be between 1 and 100.",
            "max_value": "Percent must be between 1 and 100.",
        },
    )
    start_date = forms.DateField(widget=DATE_INPUT, label="From")
    end_date = forms.DateField(widget=DATE_INPUT, label="To")
    note = forms.CharField(max_length=250, required=False)

    def __init__(self, *args, availability: list, current: Resource | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["resource"]
        field.free = {row["resource"].pk: row["free_percent"] for row in availability}
        ids = [row["resource"].pk for row in availability]
        if current is not None:
            ids.append(current.pk)  # an inactive person already allocated stays choosable on the edit form
        field.queryset = Resource.objects.filter(pk__in=ids).order_by("name", "id")
        # The choices come from the rows already read: no query to list them.
        rows = [row["resource"] for row in availability]
        if current is not None and current.pk not in field.free:
            rows.append(current)
        field.choices = [("", "---------"), *((r.pk, field.label_from_instance(r)) for r in rows)]


class AllocationEditForm(AllocationForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- Resource requests -----------------------------------------------------------------------------------------
from portfolio.core.models import User  # noqa: E402
from programs.models import ResourceRequest  # noqa: E402

REQUEST_FUNCTIONS = [(value, label) for value, label in User.Function.choices if value not in ("leadership",)]


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.name} ({obj.program.name})"


class ResourceRequestForm(forms.Form):
    """A product's request for people: the project they are for, the function, how much and when, and why."""

    project = ProjectChoiceField(queryset=Project.objects.none(), help_text="Open projects only.")
    function = forms.ChoiceField(choices=REQUEST_FUNCTIONS)
    percent = forms.IntegerField(
        min_value=1, max_value=100, label="Percent of a person", help_text="Of one person's capacity, 1 to 100."
    )
    start_date = forms.DateField(widget=DATE_INPUT, label="From")
    end_date = forms.DateField(widget=DATE_INPUT, label="To")
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="What the people will do.")

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class ResourceRequestApproveForm(forms.Form):
    """An approval: the person (those of the function asked for first, the freest first, then anyone active for
    the override), a note for the requester, and the override for a person of another function."""

    resource = forms.TypedChoiceField(coerce=int, label="Person")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note for the requester")
    override_function = forms.BooleanField(required=False, label="Assign despite a different function")

    def __init__(self, *args, request: ResourceRequest, availability: list, others: list[Resource], **kwargs):
        kwargs.setdefault("prefix", f"approve-{request.pk}")
        super().__init__(*args, **kwargs)
        own = [(row["resource"].pk, f"{row['resource'].name} — {row['free_percent']} % free") for row in availability]
        rest = [(r.pk, f"{r.name} ({r.get_function_display()})") for r in others if r.function != request.function]
        choices = [("", "Choose a person")]
        choices.append((request.get_function_display(), own))
        if rest:
            choices.append(("Other functions", rest))
        self.fields["resource"].choices = choices
        self.people = {row["resource"].pk: row["resource"] for row in availability} | {r.pk: r for r in others}

    def clean_resource(self):
        return self.people[self.cleaned_data["resource"]]


class ResourceRequestRejectForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why it is rejected")

    def __init__(self, *args, request: ResourceRequest, **kwargs):
        kwargs.setdefault("prefix", f"reject-{request.pk}")
        super().__init__(*args, **kwargs)


class ResourceRequestQueueFilterForm(forms.Form):
    """The queue's filter: program, function and status (pending unless asked otherwise)."""

    program = forms.ModelChoiceField(queryset=Program.objects.none(), required=False, empty_label="All programs")
    function = forms.ChoiceField(choices=[("", "All functions"), *REQUEST_FUNCTIONS], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *ResourceRequest.Status.choices], required=False)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
