"""Count the work an action does, in units that a busy machine cannot move.

Time depends on what else the machine runs; the number of function calls an action makes
does not. ``calls`` counts every Python and built-in function call made while the action
runs (a ``sys.setprofile`` hook), so comparing it at two input sizes tells linear work from
quadratic work deterministically.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Final

#: Ten times the input may do at most this many times the work: linear work with room for
#: per-call constants that shrink as the input grows, where quadratic work does about 100x.
MAX_RATIO: Final = 13.0

_COUNTED: Final = frozenset({"call", "c_call"})


def calls(action: Callable[[], object]) -> int:
    """How many Python and built-in function calls *action* makes, all threads counted."""
    count = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event in _COUNTED:
            count += 1

    previous = sys.getprofile()
    threading.setprofile(profile)  # type: ignore[arg-type]  # typeshed types it as a callable of Any
    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(previous)
        threading.setprofile(previous)  # type: ignore[arg-type]
    return count


def ratio(large: Callable[[], object], small: Callable[[], object]) -> float:
    """How many times as many calls *large* makes as *small*."""
    return calls(large) / max(calls(small), 1)
