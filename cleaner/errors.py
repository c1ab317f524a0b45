"""The exceptions that cleaner raises."""


class CleanerError(Exception):
    """Base class of every error that cleaner raises on purpose."""


class InputError(CleanerError):
    """A document cannot be cleaned: empty, binary, undecodable or not HTML."""


class ModelError(CleanerError):
    """A model file is missing, unreadable or made for another version."""


class TrainingDataError(CleanerError):
    """Labelled data is malformed: unknown labels, unlabelled blocks, no pages."""
