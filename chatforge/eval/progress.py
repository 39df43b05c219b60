"""The evaluation's progress: generations made out of those planned, the variant and suite at work, rate and ETA.

    chatforge eval --model A --testset FILE --out DIR     (progress on stderr, terminal or not)

It is output.Tracker counting generations: on a terminal one updating line, otherwise plain lines on stderr
(output.PlainLines: after the first generation, whose time gives the first ETA, then at every further 10 %
or every 30 s, whichever comes first, and once at the end), e.g.

    eval: 12/120 generations (10%) · tuned answers · 1.4 s each, eta 2 min 31 s

Either way the counts go to $CHATFORGE_PROGRESS_FILE when it is set, which `chatforge run` shows.
"""

from __future__ import annotations

from chatforge.output import Tracker


class EvalProgress(Tracker):
    """Counts generations against the planned `total`; `show=False` keeps stderr quiet (the progress file still gets them)."""

    def __init__(self, total: int, show: bool = True, every_s: float = 30.0, every_share: float = 0.1):
        super().__init__("eval", total, unit="generations", show=show, every_s=every_s, every_share=every_share)

    def phase(self, variant: str, suite: str) -> None:
        """Name what is being generated now (shown in the bar and the lines)."""
        self.describe(f"{variant} {suite}")
