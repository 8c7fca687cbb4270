"""Runtime code every Lambda function imports: models, domain, data access, HTTP helpers.

A function's cold start creates some 130,000 objects that live as long as the process (modules,
classes, schemas). With the collector on, it runs a few hundred times during those imports and
finds nothing to free. So collection is paused while the function's modules load, and the
``@endpoint`` decorator (the last thing a handler module runs) turns it back on after moving
everything loaded so far out of the collector's way (``gc.freeze``).
"""

import gc

gc.disable()
