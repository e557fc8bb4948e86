"""pytest settings for every path under the repository, notebooks/ included.

`pytest --nbval notebooks/` run by hand (not through `make nbval`) starts its kernels with this
process's environment. Without HELPERS_PROGRESS=0 the kernel would draw training progress bars
that the stored outputs do not have; the Makefile exports the same settings for its targets.
"""

import os

os.environ.setdefault("HELPERS_PROGRESS", "0")
