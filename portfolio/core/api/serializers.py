from rest_framework import serializers

from portfolio.core.models import User


class UserSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "email"]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "title",
            "function",
            "roles",
            "is_superuser",
            "is_staff",
        ]
        read_only_fields = fields
