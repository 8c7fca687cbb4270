"""The Lambda functions: one module per route (shared/routes.py).

A function's cold start creates some 130,000 objects that live as long as the process (modules,
classes, schemas). With the collector on, it runs a few hundred times during those imports and
finds nothing to free. So importing a handler module pauses collection here (this package is
imported first), and the ``@endpoint`` decorator (the last thing a handler module runs) turns it
back on after moving everything loaded so far out of the collector's way (``gc.freeze``).
Whoever imports only ``shared`` (tools, tests, the CDK app, benchmarks) is not affected.
"""

import gc

gc.disable()
