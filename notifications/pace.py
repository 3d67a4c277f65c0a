"""How long reaching everyone takes at the provider's rate, for the console's preview and send
pages. Pure: the caller gives the counts, the rate and the clock.

Texts leave at our bucket's pace (bucket.cap: a little under SMS_PER_SECOND texts in any second),
and the provider hands them to the networks at its own, counted in segments: a two-segment text
costs two. The slower of the two is how long it takes.
"""

from datetime import datetime, timedelta

from notifications.bucket import cap


def seconds_to_reach(texts: int, segments: int, per_second: float) -> float:
    if texts <= 0:
        return 0.0
    return max(texts / cap(per_second), segments / per_second)


def describe(seconds: float) -> str:
    """'under a minute', 'about 12 min', 'about 2 h 47 min'."""
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes} min" if minutes else f"about {hours} h"


def rate(per_second: float) -> str:
    """'100 texts a second', '10 texts a second', '2.5 texts a second'."""
    return f"{per_second:g} text{'' if per_second == 1 else 's'} a second"


def finish(now: datetime, waiting: int, segments_each: int, per_second: float) -> datetime:
    """When the texts still waiting will have reached the provider's networks."""
    return now + timedelta(seconds=seconds_to_reach(waiting, waiting * segments_each, per_second))
