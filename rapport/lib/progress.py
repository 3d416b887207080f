"""A one-line progress bar for terminals: done/total, a bar, rate and time left."""

import sys
import time

WIDTH = 24


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class ProgressBar:
    """Redraws one line on ``stream`` (stderr by default) with ``\\r``; ``done()`` ends it.

    ``update(done, total, extra)``: ``total`` may be unknown (None or 0), then no bar or time
    left is shown. Redraws at most ten times a second.
    """

    def __init__(self, stream=None, unit: str = "rows"):
        self.stream = stream or sys.stderr
        self.unit = unit
        self.started = time.monotonic()
        self._drawn = 0.0

    def line(self, done: int, total: int | None = None, extra: str = "") -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = done / elapsed
        parts = []
        if total:
            filled = min(WIDTH, round(WIDTH * done / total))
            parts.append(f"[{'#' * filled}{'.' * (WIDTH - filled)}] {done:,}/{total:,} {self.unit}")
            if rate > 0 and done < total:
                parts.append(f"{_duration((total - done) / rate)} left")
        else:
            parts.append(f"{done:,} {self.unit}")
        parts.append(f"{rate:,.0f} {self.unit}/s")
        if extra:
            parts.append(extra)
        return " · ".join(parts)

    def update(self, done: int, total: int | None = None, extra: str = "") -> None:
        now = time.monotonic()
        if now - self._drawn < 0.1 and not (total and done >= total):
            return
        self._drawn = now
        self.stream.write("\r" + self.line(done, total, extra) + "  ")
        self.stream.flush()

    def done(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def add_progress_option(parser, what: str = "progress bar") -> None:
    """The ``--progress auto|always|never`` option every long-running command shares."""
    parser.add_argument(
        "--progress",
        choices=["auto", "always", "never"],
        default="auto",
        help=f"{what} on stderr (auto: only when stderr is a terminal)",
    )


def wants_progress(choice: str, stream=None) -> bool:
    """Whether to draw progress for ``--progress choice`` on ``stream`` (stderr)."""
    stream = stream or sys.stderr
    return choice == "always" or (choice == "auto" and stream.isatty())
