"""Normalising data item names for 一数一源: the same item typed two ways is still the same item."""

import unicodedata


def normalise_item_name(name: str) -> str:
    """NFKC folds full-width to half-width; spaces, punctuation and symbols are dropped; Latin is lower-cased.

    "身份证 号码（ ）", "身份证号码" and "身份证号码。" all become "身份证号码".
    """
    folded = unicodedata.normalize("NFKC", name or "").lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in {"Z", "P", "S", "C"})
