"""The evaluation's progress: generations made out of those planned, the variant and suite at work, rate and ETA.

    chatforge eval --model A --testset FILE --out DIR     (progress on stderr, terminal or not)

On a terminal it is one updating line (output.progress_bar). Otherwise (a log file, CI, `chatforge run`)
it prints plain lines on stderr: after the first generation (whose time gives the first ETA), then at
every further 10 % or every 30 s, whichever comes first, and once at the end. Either way the counts go
to $CHATFORGE_PROGRESS_FILE when it is set (output.ReportingProgress), which `chatforge run` shows.
The ETA is the mean time per generation so far times the generations left.
"""

from __future__ import annotations

import time

from chatforge.output import progress_bar, stderr


def duration(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s} s" if s < 90 else f"{s // 60} min {s % 60:02d} s" if s < 5400 else f"{s / 3600:.1f} h"


class EvalProgress:
    """Counts generations against the planned `total`; `show=False` keeps stderr quiet (the progress file still gets them)."""

    def __init__(self, total: int, show: bool = True, every_s: float = 30.0, every_share: float = 0.1):
        self.total, self.done, self.where = total, 0, ""
        self.tty = show and stderr.is_terminal
        self.plain = show and not self.tty
        self.every_s, self.step = every_s, max(1, int(total * every_share))
        self.bar = progress_bar(disable=not self.tty)

    def open(self) -> EvalProgress:
        self.bar.start()
        self.task = self.bar.add_task("eval", total=self.total)
        self.start = self.last_time = time.monotonic()
        self.last_done = 0
        return self

    def close(self) -> None:
        """The last plain line (if the count moved since), and the bar stopped."""
        if self.plain and self.done != self.last_done:
            self._line()
        self.bar.stop()

    def __enter__(self) -> EvalProgress:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    def phase(self, variant: str, suite: str) -> None:
        """Name what is being generated now (shown in the line)."""
        self.where = f"{variant} {suite}"
        self.bar.update(self.task, description=f"eval {self.where}")

    def advance(self) -> None:
        self.done += 1
        self.bar.advance(self.task)
        if not self.plain:
            return
        now = time.monotonic()
        if (
            self.done == 1
            or self.done - self.last_done >= self.step
            or now - self.last_time >= self.every_s
            or self.done == self.total
        ):
            self._line(now)

    def eta(self, now: float | None = None) -> float | None:
        if not self.done:
            return None
        elapsed = (now or time.monotonic()) - self.start
        return elapsed / self.done * max(self.total - self.done, 0)

    def _line(self, now: float | None = None) -> None:
        now = now or time.monotonic()
        self.last_done, self.last_time = self.done, now
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        left = self.eta(now)
        tail = (
            (f", eta {duration(left)}" if self.done < self.total else f", done in {duration(now - self.start)}")
            if left is not None
            else ""
        )
        each = (now - self.start) / max(self.done, 1)
        rate = f"{each:.1f} s each" if each >= 0.1 else f"{1 / max(each, 1e-9):.0f} per s"
        stderr.print(
            f"eval: {self.done}/{self.total} generations{share} · {self.where} · {rate}{tail}",
            highlight=False,
            soft_wrap=True,
        )
