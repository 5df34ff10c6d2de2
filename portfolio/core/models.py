from django.contrib.auth.models import AbstractUser
from django.db import models


class TimeStampedModel(models.Model):
    """Base for every model: creation and last-change times."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Base for editable planning objects: ``version`` guards against lost updates."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class User(AbstractUser):
    class Function(models.TextChoices):
        PRODUCT = "product", "Product management"
        PROGRAM = "program", "Program management"
        ENGINEERING = "engineering", "Engineering"
        DESIGN = "design", "Design"
        MARKETING = "marketing", "Marketing"
        SALES = "sales", "Sales"
        SUPPORT = "support", "Support"
        LEADERSHIP = "leadership", "Leadership"
        OPERATIONS = "operations", "Operations"

    email = models.EmailField("email address", unique=True)
    title = models.CharField(max_length=120, blank=True)
    function = models.CharField(max_length=20, choices=Function.choices, blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def roles(self) -> list[str]:
        """Names of the role groups the user belongs to (uses prefetched groups when present)."""
        return sorted(group.name for group in self.groups.all())
