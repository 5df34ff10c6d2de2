"""Forms of the risk register's pages: they check the shape of what is posted; the services decide the rest."""

from django import forms

from products.forms import UserChoiceField
from products.models import Product
from programs.models import Program, Project
from risks.models import MitigationAction, Risk
from risks.services import EDITABLE_STATUS_CHOICES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCALE = [("", "—"), *((str(value), str(value)) for value in range(1, 6))]
PROBABILITY_HELP = "1 rare · 2 unlikely · 3 possible · 4 likely · 5 almost certain"
IMPACT_HELP = "1 negligible · 2 minor · 3 moderate · 4 major · 5 severe"


class ScopeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if isinstance(obj, Project):
            return f"{obj.program.name} / {obj.name}"
        return obj.name


class RiskForm(forms.ModelForm):
    """A risk's fields; a new one also names the project, program or product it hangs on (exactly one)."""

    project = ScopeChoiceField(queryset=Project.objects.none(), required=False, empty_label="—")
    program = ScopeChoiceField(queryset=Program.objects.none(), required=False, empty_label="—")
    product = ScopeChoiceField(queryset=Product.objects.none(), required=False, empty_label="—")
    owner = UserChoiceField(queryset=None, required=False, empty_label="Me")
    status = forms.ChoiceField(choices=EDITABLE_STATUS_CHOICES, initial="open")
    probability = forms.TypedChoiceField(choices=SCALE[1:], coerce=int, help_text=PROBABILITY_HELP)
    impact = forms.TypedChoiceField(choices=SCALE[1:], coerce=int, help_text=IMPACT_HELP)
    residual_probability = forms.TypedChoiceField(
        choices=SCALE,
        coerce=int,
        empty_value=None,
        required=False,
        label="Residual probability",
        help_text="After mitigation; leave empty until assessed.",
    )
    residual_impact = forms.TypedChoiceField(
        choices=SCALE,
        coerce=int,
        empty_value=None,
        required=False,
        label="Residual impact",
        help_text="After mitigation; leave empty until assessed.",
    )

    class Meta:
        model = Risk
        fields = [
            "project",
            "program",
            "product",
            "kind",
            "title",
            "description",
            "category",
            "owner",
            "probability",
            "impact",
            "status",
            "response",
            "trigger",
            "review_date",
            "residual_probability",
            "residual_impact",
        ]
        widgets = {"review_date": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, scopes: dict, owners, with_version: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in scopes.items():
            self.fields[name].queryset = queryset
        self.fields["owner"].queryset = owners
        if self.instance.pk and self.instance.status not in dict(EDITABLE_STATUS_CHOICES):
            del self.fields["status"]  # closed or occurred: "Reopen" on the risk's page changes it
        if with_version:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def _post_clean(self):
        """The services validate the model (after the rules); the form only checks the shape."""

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields if name in self.fields}
        if not data.get("owner"):
            data.pop("owner")
        return data


class CloseForm(forms.Form):
    closing_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Closing note",
        help_text="Why the risk no longer needs watching.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MitigationActionForm(forms.ModelForm):
    owner = UserChoiceField(queryset=None, required=False, empty_label="Nobody yet")

    class Meta:
        model = MitigationAction
        fields = ["description", "owner", "due_date"]
        widgets = {"due_date": DATE_INPUT}
        labels = {"description": "Action", "due_date": "Due"}

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
