"""cleaner: strips boilerplate and promos from web pages with a trained block classifier."""

from cleaner.api import CleanedBlock, Cleaner, CleanerConfig, CleanResult
from cleaner.errors import CleanerError, InputError, ModelError, TrainingDataError
from cleaner.transformer import HTMLCleaner

__version__ = "0.1.0"
__all__ = [
    "CleanResult",
    "CleanedBlock",
    "Cleaner",
    "CleanerConfig",
    "CleanerError",
    "HTMLCleaner",
    "InputError",
    "ModelError",
    "TrainingDataError",
]
