"""What the pages, the API, the CLI and the inbox call about a business's knowledge base.

The verbs live beside their concerns (``entries``: an entry checked, written and audited,
the settings, the engine's knowledge base; ``transfer``: files in and out; ``history``: the
knowledge base tried on the business's own messages) and are gathered here under the names
the other shells use.
"""

from rapport.knowledge.entries import (
    EntryError,
    EntryNotFound,
    delete_entry,
    effective_threshold,
    get_entry,
    knowledge_base,
    knowledge_settings,
    save_entry,
    shipped_threshold,
    update_settings,
)
from rapport.knowledge.history import (
    MIN_HISTORY,
    Suggestion,
    ThresholdViewRow,
    refresh_reports,
    suggestions,
    threshold_view,
)
from rapport.knowledge.transfer import (
    ImportFileError,
    ImportResult,
    RowError,
    export_entries,
    export_rows,
    import_entries,
)

__all__ = [
    "MIN_HISTORY",
    "EntryError",
    "EntryNotFound",
    "ImportFileError",
    "ImportResult",
    "RowError",
    "Suggestion",
    "ThresholdViewRow",
    "delete_entry",
    "effective_threshold",
    "export_entries",
    "export_rows",
    "get_entry",
    "import_entries",
    "knowledge_base",
    "knowledge_settings",
    "refresh_reports",
    "save_entry",
    "shipped_threshold",
    "suggestions",
    "threshold_view",
    "update_settings",
]
