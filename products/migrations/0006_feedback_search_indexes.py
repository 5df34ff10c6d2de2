"""Trigram indexes for the feedback search (``q``: every word in the summary, body, customer or company).

The search is ``UPPER(column) LIKE UPPER('%word%')`` (Django's ``icontains`` on PostgreSQL), which a B-tree
cannot serve: without these, searching a million items reads them all. A GIN index of the trigrams of
``UPPER(column)`` finds the candidate rows for any substring of three characters or more. PostgreSQL only (the
``pg_trgm`` extension ships with it and is trusted, so the database's owner may create it); SQLite, for a
laptop-sized demo, scans.
"""

from django.db import migrations, models

COLUMNS = ("summary", "body", "customer_name", "company")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS feedback_search_{column} "
            f"ON products_feedback USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS feedback_search_{column}")


class Migration(migrations.Migration):
    dependencies = [("products", "0005_feature_stored_demand")]

    operations = [
        migrations.RunPython(create, drop),
        # A product's feedback newest first, whatever its status (the inbox's "All" and a search within it).
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(fields=["product", "-received_at", "-id"], name="feedback_product_order"),
        ),
    ]
