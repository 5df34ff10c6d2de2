"""The subscription form of the settings page (the service checks the rules and the schedule)."""

from django import forms

from portfolio.core.models import User
from portfolio.reports.models import ReportSubscription
from products.forms import UserChoiceField
from products.models import Product
from programs.models import Portfolio, Program


class SubscriptionForm(forms.ModelForm):
    recipient = UserChoiceField(queryset=User.objects.filter(is_active=True).order_by("first_name", "username"))

    class Meta:
        model = ReportSubscription
        fields = ["recipient", "portfolio", "program", "product", "frequency", "weekday", "day_of_month", "hour"]
        help_texts = {
            "portfolio": "Leave portfolio, program and product empty for the whole organisation.",
            "hour": "0–23, in the organisation's time zone.",
        }

    def __init__(self, *args, may_choose_recipient: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolio"].queryset = Portfolio.objects.filter(archived_at__isnull=True).order_by("name")
        self.fields["program"].queryset = Program.objects.filter(archived_at__isnull=True).order_by("name")
        self.fields["product"].queryset = Product.objects.filter(archived_at__isnull=True).order_by("name")
        if may_choose_recipient:
            self.fields["recipient"].required = False
            self.fields["recipient"].help_text = "Someone else (a steering committee member), or leave empty for you."
        else:
            del self.fields["recipient"]

    def _post_clean(self):
        # The service validates the whole row (and says who may hold it); the form checks shapes only.
        pass

    def data_for_service(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in self.fields
            if name != "recipient" or self.cleaned_data.get(name)
        }
