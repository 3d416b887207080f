"""Reading a big backlog with several workers at once, each message read once.

Messages are grouped in blocks of ``BLOCK`` consecutive ids. A worker reads a block only
while it holds the block's lease (``rapport.workers.leases``), so two workers never read the
same message at the same time, however many ``analyze_workspace`` tasks were queued. A
backlog of more than one block is split into one task per block, which the workers share;
a small one is read in place. A worker that dies in the middle of a block leaves the
batches it committed read; its lease expires and the block's task, run again (see
``rapport.workers.running``), reads the rest.
"""

from collections.abc import Callable

from django.db.models import Count, F, Q

from rapport.accounts.models import Workspace
from rapport.understanding.actions import BATCH, analyze_pending, pending
from rapport.workers.leases import Busy, held

# Message ids per block: four reading batches, a few seconds of work on one core.
BLOCK = 1024
# A block another worker is reading is looked at again this much later (new messages may
# have arrived after it started).
BUSY_RETRY_SECONDS = 5


def pending_blocks(workspace: Workspace) -> dict[int, int]:
    """Block number → how many pending messages of ``workspace`` it holds."""
    rows = (
        pending(workspace)
        .annotate(block=F("pk") / BLOCK)
        .values("block")
        .annotate(n=Count("pk"))
        .order_by("block")
    )
    return {row["block"]: row["n"] for row in rows}


def block_filter(block: int) -> Q:
    return Q(pk__gte=block * BLOCK, pk__lt=(block + 1) * BLOCK)


def read_block(workspace: Workspace, block: int) -> int:
    """Read the pending messages of one block while holding its lease (``Busy`` when another
    worker holds it); returns how many were read."""
    with held(f"read:{workspace.pk}:{block}") as renew:
        return analyze_pending(
            workspace, only=block_filter(block), progress=lambda done, total: renew()
        )


def read_or_split(workspace: Workspace, queue_block: Callable[[int, float], object]) -> int:
    """Read ``workspace``'s pending messages: in place when they are a batch or fit in one
    block, else ``queue_block(block, 0)`` for each block, for the workers to share; a block
    another worker is reading is queued ``BUSY_RETRY_SECONDS`` later. Returns how many were
    read in place."""
    blocks = pending_blocks(workspace)
    if len(blocks) > 1 and sum(blocks.values()) > BATCH:
        for block in blocks:
            queue_block(block, 0)
        return 0
    done = 0
    for block in blocks:
        try:
            done += read_block(workspace, block)
        except Busy:
            queue_block(block, BUSY_RETRY_SECONDS)
    return done
