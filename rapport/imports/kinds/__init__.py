"""The import kinds, one module each, wired in by a plain dict.

To add a kind: write ``kinds/<name>.py`` with a subclass of ``ImportKindBase`` (fields with
synonyms, ``clean``, ``identity``, ``write``), add it here, to ``ImportKind`` in
``choices.py`` and to ``KINDS`` in ``cli.py`` (``imports/tests/test_kinds_agree.py`` checks that the
three agree), and document it in ``docs/imports.md``. A kind whose files need their own
reading (``responses``: two header rows, JSON) overrides the hooks of ``ImportKindBase``
(``read_header``, ``preview``, ``execute``, ``command_line``, ``mapping_form``...) in a
package of its own beside that reading (``kinds/responses/``).
"""

from rapport.imports.kinds.base import ImportKindBase
from rapport.imports.kinds.deliveries import DeliveriesKind
from rapport.imports.kinds.employment import EmploymentKind
from rapport.imports.kinds.interactions import InteractionsKind
from rapport.imports.kinds.people import PeopleKind
from rapport.imports.kinds.purchases import PurchasesKind
from rapport.imports.kinds.responses.kind import ResponsesKind

KINDS: dict[str, ImportKindBase] = {
    kind.name: kind
    for kind in (
        PeopleKind(),
        InteractionsKind(),
        PurchasesKind(),
        EmploymentKind(),
        DeliveriesKind(),
        ResponsesKind(),
    )
}


def get_kind(name: str) -> ImportKindBase:
    """The kind called ``name``; raises ``KeyError`` for an unknown one."""
    return KINDS[name]
