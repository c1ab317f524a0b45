"""Save and load models: a skops file with the two classifiers, and a JSON model card beside it.

Models are never unpickled: skops stores arrays and the structure of the objects, and loads
only the types named in TRUSTED_TYPES besides those it trusts itself (scikit-learn's
estimators, numpy and scipy arrays, builtins). A file with any other type is refused.
"""

from __future__ import annotations

import functools
import json
import platform
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import sklearn
import skops
import skops.io
import skops.io.exceptions

from cleaner.errors import ModelError
from cleaner.files import atomic_path, write_text_atomically
from cleaner.model import FEATURE_LAYOUT, LABELS, BlockClassifier

MODEL_FORMAT = 2
BUNDLED_MODEL_NAME = "cleaner.skops"
RETRAIN_HINT = "retrain it with `cleaner train training_data -o MODEL.skops`"
# Types a cleaner model holds that skops does not trust by default: our own classes, and the
# tree nodes of scikit-learn's gradient boosting.
TRUSTED_TYPES = [
    "cleaner.features.BlockFeaturizer",
    "cleaner.model.BlockClassifier",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
]


@dataclass(slots=True)
class CleanerModel:
    """The classifiers for HTML blocks and for plain-text paragraphs, with their model card."""

    html: BlockClassifier
    text: BlockClassifier
    card: dict[str, Any] = field(default_factory=dict)


def card_path(model_path: Path) -> Path:
    """Where the model card of a model file lives: `NAME.json` beside `NAME.skops`."""
    return model_path.with_suffix(".json")


def library_versions() -> dict[str, str]:
    """Versions of the libraries a model depends on."""
    import lxml.etree
    import numpy
    import scipy

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)),
        "skops": skops.__version__,
    }


def save_model(model: CleanerModel, path: Path) -> None:
    """Write the model file and its card, each atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    card = dict(
        model.card,
        format=MODEL_FORMAT,
        feature_layout=FEATURE_LAYOUT,
        labels=list(LABELS),
        versions=library_versions(),
    )
    with atomic_path(path) as temporary:
        skops.io.dump(
            {"format": MODEL_FORMAT, "html": model.html, "text": model.text},
            temporary,
            compression=zipfile.ZIP_DEFLATED,
            compresslevel=6,
        )
    write_card(path, card)


def write_card(path: Path, card: dict[str, Any]) -> None:
    """Replace the model card of a model file."""
    write_text_atomically(card_path(path), json.dumps(card, indent=2, sort_keys=True) + "\n")


def read_card(path: Path) -> dict[str, Any]:
    """The model card beside a model file.

    Raises:
        ModelError: the card is missing or not JSON.
    """
    try:
        return json.loads(card_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: no model card {card_path(path).name} beside it; {RETRAIN_HINT}") from None
    except (OSError, ValueError) as error:
        raise ModelError(f"{card_path(path)}: unreadable model card ({error}); {RETRAIN_HINT}") from None


def load_model(path: Path | str) -> CleanerModel:
    """Load a model made by `cleaner train`, after checking its card.

    Raises:
        ModelError: missing file, unreadable card, another scikit-learn version, or not a model.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: no such model file")
    card = read_card(path)
    saved = card.get("versions", {}).get("scikit-learn", "unknown")
    if _minor(saved) != _minor(sklearn.__version__):
        raise ModelError(
            f"{path}: made with scikit-learn {saved}, but {sklearn.__version__} is installed; "
            f"{RETRAIN_HINT}, or install scikit-learn {saved}"
        )
    if card.get("feature_layout") != FEATURE_LAYOUT:
        raise ModelError(
            f"{path}: made for feature layout {card.get('feature_layout')}, but this cleaner computes "
            f"layout {FEATURE_LAYOUT}; {RETRAIN_HINT}"
        )
    stored = _read_trusted(path)
    if not isinstance(stored, dict) or stored.get("format") != MODEL_FORMAT:
        raise ModelError(f"{path}: not a cleaner model of format {MODEL_FORMAT}; {RETRAIN_HINT}")
    if not all(isinstance(stored.get(k), BlockClassifier) for k in ("html", "text")):
        raise ModelError(f"{path}: the file holds no cleaner classifiers; {RETRAIN_HINT}")
    return CleanerModel(stored["html"], stored["text"], card)


def _read_trusted(path: Path) -> Any:
    """The objects in a skops file, when every type in it is one a cleaner model may hold."""
    try:
        return skops.io.load(path, trusted=TRUSTED_TYPES)
    except skops.io.exceptions.UntrustedTypesFoundException:
        untrusted = sorted(set(skops.io.get_untrusted_types(file=path)) - set(TRUSTED_TYPES))
        raise ModelError(f"{path}: refused, it holds types a cleaner model never has: {', '.join(untrusted)}") from None
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise ModelError(
            f"{path}: not a cleaner model file ({type(error).__name__}; model files are skops archives, "
            f"and pickles are never loaded); {RETRAIN_HINT}"
        ) from None
    except Exception as error:  # noqa: BLE001 - any failure to rebuild the objects means "not a usable model"
        raise ModelError(f"{path}: not a cleaner model ({type(error).__name__}: {error}); {RETRAIN_HINT}") from None


def bundled_model_path() -> Path:
    """The path of the model that ships inside the package."""
    return Path(str(resources.files("cleaner.models").joinpath(BUNDLED_MODEL_NAME)))


@functools.cache
def bundled_model() -> CleanerModel:
    """The bundled model, loaded once per process on first use."""
    return load_model(bundled_model_path())


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])
