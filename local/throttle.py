"""The gateway's limits on routes anyone may call, as the deployed stack applies them: a request
rate on the method (API Gateway's token bucket) and a count per client address in a window (the
firewall's rate-based rule). Over either: 429, as deployed."""

import threading
import time
from collections import defaultdict, deque

from shared.routes import PUBLIC_WINDOW_SECONDS, Route


class Limits:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[float, float]] = {}  # route -> (tokens, at)
        self._seen: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def admit(self, route: Route, address: str, now: float | None = None) -> bool:
        """Whether ``route`` takes one more request from ``address`` now."""
        limit = route.rate_limit
        if limit is None:
            return True
        moment = time.monotonic() if now is None else now
        name = f"{route.method} {route.path}"
        with self._lock:
            recent = self._seen[(name, address)]
            while recent and recent[0] <= moment - PUBLIC_WINDOW_SECONDS:
                recent.popleft()
            if len(recent) >= limit.per_address:
                return False
            tokens, at = self._tokens.get(name, (float(limit.burst), moment))
            tokens = min(float(limit.burst), tokens + (moment - at) * limit.per_second)
            if tokens < 1:
                self._tokens[name] = (tokens, moment)
                return False
            self._tokens[name] = (tokens - 1, moment)
            recent.append(moment)
            return True
