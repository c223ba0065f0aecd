"""Pacing QBO's batch endpoint: every worker of every process shares one moving window per company.

Intuit throttles the batch endpoint at 40 batch requests a minute per realm and app; past it QBO
answers 429 ThrottleExceeded
(https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles). A backfill of
thousands of orders sends more than that, and a run that met the 429 would stop and wait for
RQ's backoff (10 s, then a minute, then five…). Instead each batch request first takes a slot in
a moving window kept in Redis by the `limits` library, waiting — at most one window — for the
oldest slot to free when the window is full. The window is kept a little longer than the rate
says (5 %, at least a second): a request reaches QBO a moment after it takes its slot, and a
slot freed to the instant would let the next request arrive while QBO still counts the old one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from limits import RateLimitItem, RateLimitItemPerSecond, parse
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis import Redis

NAMESPACE = "ledgerbridge-qbo-batch"
SHORTEST_WAIT_S = 0.05


class BatchPacer:
    """At most `rate` (limits notation, e.g. "40/minute") batch requests per realm."""

    def __init__(
        self, connection: Redis, rate: str, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        # RedisStorage on the app's own connection pool (the URI names only the scheme), so the
        # in-process stand-in of the zero-setup path and a TLS Redis in production both work.
        storage = RedisStorage("redis://", connection_pool=connection.connection_pool)
        self.limiter = MovingWindowRateLimiter(storage)
        stated = parse(rate)
        window = stated.get_expiry()
        self.item: RateLimitItem = RateLimitItemPerSecond(
            stated.amount, window + max(1, window // 20)
        )
        self.sleep = sleep

    def take(self, realm: str) -> float:
        """Take a slot for one batch request to `realm`, waiting for one; seconds waited."""
        waited = 0.0
        while not self.limiter.hit(self.item, NAMESPACE, realm):
            reset = self.limiter.get_window_stats(self.item, NAMESPACE, realm).reset_time
            delay = min(max(reset - time.time(), SHORTEST_WAIT_S), self.item.get_expiry())
            self.sleep(delay)
            waited += delay
        return waited
