"""Forms of the products pages: shape only; the rules and the model checks are the services'."""

from django import forms
from django.core.exceptions import ValidationError

from portfolio.core.models import StrategicObjective, User
from products.models import Product

SLUG_HELP = "The product's address: /products/&lt;slug&gt;/. Leave it empty to make it from the name."


class ProductForm(forms.Form):
    """A product's name, address, texts, stage and objectives; the owner only for those who may name one."""

    name = forms.CharField(max_length=120)
    slug = forms.SlugField(max_length=140, required=False, label="Address (slug)", help_text=SLUG_HELP)
    lifecycle_stage = forms.ChoiceField(choices=Product.Stage.choices, label="Lifecycle stage")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label=None)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    vision = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    objectives = forms.ModelMultipleChoiceField(
        queryset=StrategicObjective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Strategic objectives",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, with_owner: bool, with_version: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = StrategicObjective.objects.order_by("title", "id")
        if with_owner:
            self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by(
                "first_name", "last_name", "username", "id"
            )
            self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.username
        else:
            del self.fields["owner"]
        if with_version:
            self.fields["version"].required = True
        else:
            del self.fields["version"]

    @classmethod
    def initial_of(cls, product: Product) -> dict:
        """The form's values for ``product`` as stored (its version too)."""
        return {
            "name": product.name,
            "slug": product.slug,
            "lifecycle_stage": product.lifecycle_stage,
            "owner": product.owner_id,
            "description": product.description,
            "vision": product.vision,
            "objectives": [objective.pk for objective in product.objectives.all()],
            "version": product.version,
        }

    def data_for_service(self) -> dict:
        """The cleaned values as the product services take them (``version`` apart)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["objectives"] = list(data["objectives"])
        return data

    def show_errors(self, error: ValidationError) -> None:
        """Put a service's ``ValidationError`` on the fields it names, the rest above the form."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
