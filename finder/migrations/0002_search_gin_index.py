"""On PostgreSQL only: a GIN index over the very expression finder.search.search_vector()
builds (titles weigh A, texts B, English stems plus the words as written). SQLite has no
full-text search of this kind: the fallback there reads the `words` and `digits` columns.

The index is added through the schema editor, not Meta.indexes, because a model's indexes
would be created on every database; so the model state does not know it, and makemigrations
stays quiet. If search_vector() changes, a new migration must replace this index."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "finder_entry_search"


def _index() -> GinIndex:
    vector = (SearchVector("heading", config="english", weight="A")
              + SearchVector("body", "keywords", config="english", weight="B")
              + SearchVector("heading", config="simple", weight="A")
              + SearchVector("body", "keywords", config="simple", weight="B"))
    return GinIndex(vector, name=INDEX_NAME)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("finder", "FlowSearchEntry"), _index())


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("finder", "FlowSearchEntry"), _index())


class Migration(migrations.Migration):
    dependencies = [("finder", "0001_search_index_and_favourites")]

    operations = [migrations.RunPython(add_index, remove_index)]
