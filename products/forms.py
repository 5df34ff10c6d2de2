"""Forms of the products pages: shape only; the rules and the model checks are the services'."""

from decimal import Decimal

from django import forms

from products.models import CONFIDENCE_CHOICES, CONFIDENCE_MESSAGE, IMPACT_CHOICES, IMPACT_MESSAGE, Feature

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FeatureForm(forms.Form):
    """A feature's fields as the create and edit pages take them; choices limited to the product's own."""

    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(choices=Feature.Status.choices, initial=Feature.Status.IDEA)
    horizon = forms.ChoiceField(choices=Feature.Horizon.choices, initial=Feature.Horizon.LATER)
    release = forms.ModelChoiceField(queryset=None, required=False, empty_label="No release")
    theme = forms.ModelChoiceField(queryset=None, required=False, empty_label="No theme")
    start_date = forms.DateField(required=False, widget=DATE)
    end_date = forms.DateField(required=False, widget=DATE)
    owner = forms.ModelChoiceField(queryset=None, required=False, empty_label="Nobody yet")
    objectives = forms.ModelMultipleChoiceField(queryset=None, required=False)
    reach = forms.IntegerField(
        min_value=0, initial=0, help_text="Customers or events per quarter.", widget=forms.NumberInput(attrs={"min": 0})
    )
    impact = forms.TypedChoiceField(
        choices=IMPACT_CHOICES,
        coerce=Decimal,
        initial=Decimal("1.00"),
        error_messages={"invalid_choice": IMPACT_MESSAGE},
    )
    confidence = forms.TypedChoiceField(
        choices=CONFIDENCE_CHOICES,
        coerce=Decimal,
        initial=Decimal("0.80"),
        error_messages={"invalid_choice": CONFIDENCE_MESSAGE},
    )
    effort = forms.DecimalField(
        max_digits=6,
        decimal_places=2,
        initial=Decimal("1.00"),
        help_text="Person-months, more than zero.",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.username
        for name in ("release", "theme"):
            self.fields[name].error_messages["invalid_choice"] = f"Choose one of this product's {name}s."

    @staticmethod
    def initial_from(feature: Feature) -> dict:
        """The form's initial values from a stored feature."""
        initial = {name: getattr(feature, name) for name in FEATURE_FIELDS}
        initial["objectives"] = list(feature.objectives.all())
        return initial


class VersionedFeatureForm(FeatureForm):
    """The edit form: the feature's fields and the ``version`` the edit started from."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


# The feature fields the forms edit (what the services take as ``data``).
FEATURE_FIELDS = [name for name in FeatureForm.base_fields if name != "objectives"]


class FeatureStatusForm(forms.Form):
    """One step of the status flow, from the feature page's buttons."""

    status = forms.ChoiceField(choices=Feature.Status.choices)
    version = forms.IntegerField(min_value=1)
