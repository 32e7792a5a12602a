"""Deserialized workflows kept between commands, keyed by case id and the
case's row version. A command takes its workflow out (so no two threads
share one), and puts it back only after its transaction committed, under
the new version. Any write elsewhere bumps the version, so a stale entry is
never served: it simply misses."""
import threading
from collections import OrderedDict


class WorkflowCache:
    def __init__(self, capacity: int = 1024):
        self.capacity = capacity
        self._lock = threading.Lock()
        self._items: OrderedDict[int, tuple[int, object]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def take(self, case_id: int, version: int):
        with self._lock:
            entry = self._items.pop(case_id, None)
            if entry is not None and entry[0] == version:
                self.hits += 1
                return entry[1]
            self.misses += 1
            return None

    def put(self, case_id: int, version: int, workflow) -> None:
        with self._lock:
            self._items[case_id] = (version, workflow)
            self._items.move_to_end(case_id)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def discard(self, case_id: int) -> None:
        with self._lock:
            self._items.pop(case_id, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
