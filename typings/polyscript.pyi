# Type stub for the one browser module py/worker.py imports (present only inside PyScript's
# worker), so editors and type checkers understand the glue under CPython.
from typing import Any, Protocol

class _XWorker(Protocol):
    def postMessage(self, message: Any) -> None: ...  # noqa: N802 - the JS name

xworker: _XWorker
