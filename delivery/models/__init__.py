"""The facts of the years after the 批复, each a model of its own (not more fields on ``Project``):
filing and construction start, changes, supervision orders, monitoring reports, acceptance, evaluation.

Each part keeps its models in its own module here; this package imports them all for Django.
"""

from .acceptance import *  # noqa: F401,F403
from .construction import *  # noqa: F401,F403
