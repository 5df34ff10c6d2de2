"""Field names that every app's serializers and viewsets share."""

TIMESTAMPS = ("created_at", "updated_at")
