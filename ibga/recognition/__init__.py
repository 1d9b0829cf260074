"""Screen recognition: pure functions over numpy images (no X, no side effects).

``recognize(image)`` returns a `Recognition` (see `ibga.recognition.contract`); the model it
uses is built from the corpus by ``python -m ibga.recognition.build`` and shipped in
``ibga/recognition/model/``.
"""

from ibga.recognition.contract import Element, Recognition
from ibga.recognition.recognize import load_model, recognize

__all__ = ["Element", "Recognition", "load_model", "recognize"]
