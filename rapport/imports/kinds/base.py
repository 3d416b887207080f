"""What every import kind is made of, and the hooks through which the engine, the CLI and the
pages use a kind without asking which one it is.

A table kind (people, interactions, ...) sets ``name``, ``label`` and ``fields`` (with the
column names that mean them) and implements ``clean`` (one row to typed values or
field-level errors), ``identity`` and ``write`` (one batch); the defaults of the other hooks
read it as a table (``imports.tables``). A kind whose files are read another way (survey
responses) overrides the hooks instead.
"""

from __future__ import annotations

from collections.abc import Callable

from rapport.accounts.models import Workspace
from rapport.imports.batches import BATCH_SIZE
from rapport.imports.forms import MappingForm
from rapport.imports.kinds.cleaning import BatchResult, CleanRow, Context
from rapport.imports.mapping import Field, detect_mapping
from rapport.imports.models import ImportRun
from rapport.imports.tables import (
    TABLE_SUFFIXES,
    execute_table,
    preview_table,
    read_header,
    table_command_line,
)
from rapport.lib.tabular import TabularError


class ImportKindBase:
    """One kind of import. Subclasses set ``name``, ``fields`` and implement the hooks."""

    name: str = ""
    label: str = ""
    fields: tuple[Field, ...] = ()
    # Groups of fields of which at least one must be mapped, with the reason shown otherwise.
    required_any: tuple[tuple[tuple[str, ...], str], ...] = ()
    # The file types the kind reads.
    suffixes: tuple[str, ...] = TABLE_SUFFIXES
    # The mapping page's choice of group: its label ("" for no choice), and whether it must
    # be made (the CLI's --group then too).
    group_label: str = ""
    group_required: bool = False
    # Whether the mapping page offers to create the people a file names but the workspace lacks.
    offers_create_missing: bool = True
    # The page where the person confirms the mapping before the run starts.
    template = "imports/mapping.html"
    # Errors ``rapport import`` reports as "FILE: reason" when they end a run.
    command_errors: tuple[type[Exception], ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    # --- rows and batches (table kinds) --------------------------------------------------

    def clean(self, raw: dict[str, str], ctx: Context) -> tuple[dict, list[tuple[str, str]]]:
        """Return ``(data, errors)`` for one row; ``errors`` is ``[(field, reason)]``."""
        raise NotImplementedError

    def identity(self, data: dict, ctx: Context) -> str:
        """What makes two rows the same record, before any database lookup."""
        raise NotImplementedError

    def preview_options(self, options: dict) -> dict:
        """The options the preview cleans its rows with, before the person has chosen them."""
        return options

    def rejects_duplicates(self, data: dict) -> bool:
        """True: a second row with the same identity is reported and the first one wins.
        False: repeated identities are separate records (invoice lines, two equal sales)."""
        return True

    def write(self, rows: list[CleanRow], ctx: Context) -> BatchResult:
        """Write one batch (already inside a transaction) and count what happened."""
        raise NotImplementedError

    def finish(self, ctx: Context) -> list[tuple[int, str, str]]:
        """Work deferred to the end of the run; returns warnings ``(line, field, reason)``."""
        return []

    # --- the run -------------------------------------------------------------------------

    def read_header(self, path) -> tuple[list[str], int | None]:
        """``(column names, estimated rows)`` of a file; raises ``TabularError`` or ``OSError``."""
        return read_header(path)

    def initial_mapping(self, header: list[str]) -> dict[str, str]:
        """The mapping a new run starts with."""
        return detect_mapping(self, header)

    def file_header(self, run: ImportRun) -> list[str]:
        """The column names of ``run``'s file, for its rejected rows' download."""
        try:
            return self.read_header(run.stored_path)[0]
        except (TabularError, OSError):
            return []

    def execute(
        self,
        run: ImportRun,
        *,
        dry_run: bool = False,
        batch_size: int = BATCH_SIZE,
        progress: Callable[[ImportRun], None] | None = None,
        errors_csv=None,
        actor=None,
    ) -> ImportRun:
        """Import ``run``'s file and return the finished run; raises ``ImportFailed``."""
        return execute_table(
            self,
            run,
            dry_run=dry_run,
            batch_size=batch_size,
            progress=progress,
            errors_csv=errors_csv,
            actor=actor,
        )

    def after_import(self, run: ImportRun) -> None:
        """What follows a run that is kept (not a dry run)."""

    # --- the command line ----------------------------------------------------------------

    def command_line(self, args, workspace: Workspace) -> tuple[dict, dict] | str:
        """From ``rapport import``'s arguments: ``(mapping, options)`` to run with, or, with
        ``--show-mapping``, the text to print. Raises ``ImportFailed`` with the message."""
        return table_command_line(self, args)

    def summary_lines(self, run: ImportRun, dry_run: bool) -> list[str]:
        """Lines the CLI prints after the counts."""
        return []

    # --- the mapping page ----------------------------------------------------------------

    def preview(
        self,
        path,
        workspace: Workspace,
        *,
        mapping: dict | None = None,
        options: dict | None = None,
    ):
        """What the mapping page shows of a file before the run; raises ``ImportFailed``."""
        return preview_table(self, path, workspace, mapping=mapping, options=options)

    def mapping_form(self, data, *, run: ImportRun, preview, workspace: Workspace):
        """The mapping page's form; ``form.mapping()`` and ``form.options()`` start the run."""
        return MappingForm(data, run=run, kind=self, header=preview.header)

    def preview_of_choice(self, run: ImportRun, form, preview, workspace: Workspace):
        """What a refused form is shown with: the preview of the mapping the person chose."""
        return self.preview(
            run.stored_path, workspace, mapping=form.chosen_mapping(), options=run.options
        )

    def page_context(self, run: ImportRun, preview, form) -> dict:
        """The mapping page's template context."""
        return {"run": run, "preview": preview, "form": form}
