"""The SMS for a transition: one segment of the GSM 03.38 7-bit alphabet, whatever the names.

``sms_text`` gives e.g. ``OVERDUE: Oil change on Truck 12 - due 15,000 km, now 15,120 km. Due
2026-12-01.``: at most 160 septets, where the characters of the extension table count as two,
and never a character that would make the carrier send the message as UCS-2 (70 characters a
segment). Names are transliterated to GSM-7 (``to_gsm7``) and shortened before facts are dropped
(the last first); the status word and the start of the task name always remain.
"""

import unicodedata
from datetime import datetime, tzinfo

from shared.notify.content import (
    NO_NAME,
    Fact,
    Transition,
    account_zone,
    fit_names,
    names_fit,
    one_line,
    shown,
)

LIMIT = 160  # septets in one segment
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[]~|€")  # sent as escape + character: two septets each
# Letters and punctuation that Unicode does not decompose into a plain form, and their plain form.
_PLAIN: dict[str, str] = {
    # typographic single quotes, primes, modifier apostrophes, accents, single guillemets
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u02bb`\u00b4\u2039\u203a", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),  # double quotes and guillemets
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),  # hyphens, dashes, minus
    **{"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ħ": "H", "ħ": "h"},
    # \u0131 is the dotless i, \u00d7 the multiplication sign
    **{"\u0131": "i", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "Ŧ": "T", "ŧ": "t", "ĸ": "k"},
    **{"Ŋ": "N", "ŋ": "n", "\u00d7": "x", "÷": "/", "•": "-", "·": "-"},
}
_DROPPED = frozenset({"Mn", "Mc", "Me", "Cf"})  # combining marks, zero-width and format characters
_SKIN_TONES = frozenset(chr(code) for code in range(0x1F3FB, 0x1F400))
_WORDS = {"upcoming": "UPCOMING", "overdue": "OVERDUE"}


def gsm7_length(text: str) -> int:
    """Septets ``text`` takes in GSM-7: one a character, two for the extension table's.

    Raises ValueError for a character GSM-7 cannot carry (``to_gsm7`` replaces those).
    """
    length = 0
    for char in text:
        if char in GSM7_BASIC:
            length += 1
        elif char in GSM7_EXTENSION:
            length += 2
        else:
            raise ValueError(f"not in the GSM 03.38 alphabet: {char!r}")
    return length


def _plain(char: str) -> str:
    """One character in GSM-7: itself, its plain form, or "?"; "" for marks and format
    characters, which have no form of their own."""
    if char in GSM7_BASIC or char in GSM7_EXTENSION:
        return char
    if char in _PLAIN:
        return _PLAIN[char]
    if char in _SKIN_TONES or unicodedata.category(char) in _DROPPED:
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed == char:
        return "?"
    return "".join(_plain(part) for part in decomposed)


def to_gsm7(text: str) -> str:
    """``text`` on one line in the GSM 03.38 alphabet.

    Control characters and line breaks become one space (``content.one_line``); other characters
    outside GSM-7 are transliterated where a plain form exists ("Łódź" gives "Lodz", "ﬁ" gives
    "fi"), combining marks and zero-width characters are dropped, and the rest (emoji, CJK)
    become "?". Characters of GSM-7, its extension table included, stay (ß, æ, ø, €, [ are
    GSM-7).
    """
    plain = "".join(_plain(char) for char in unicodedata.normalize("NFC", one_line(text)))
    return " ".join(part for part in plain.split(" ") if part)


def _phrase(fact: Fact, zone: tzinfo) -> str:
    """``due 15,000 km, now 15,120 km`` or ``due 2026-12-01`` (a date's current value is the
    moment of the message, which needs no telling)."""
    phrase = f"due {shown(fact.due, fact.kind, zone)}"
    if fact.current is not None and not isinstance(fact.current, datetime):
        phrase += f", now {shown(fact.current, fact.kind, zone)}"
    return to_gsm7(phrase)


def _tail(phrases: list[str]) -> str:
    """What follows the names: `` - due 15,000 km. Due 2026-12-01.`` or just ``.``."""
    if not phrases:
        return "."
    sentences = [phrases[0], *(phrase[:1].upper() + phrase[1:] for phrase in phrases[1:])]
    return " - " + ". ".join(sentences) + "."


def sms_text(t: Transition) -> str:
    """The SMS telling ``t``, in one GSM-7 segment (``gsm7_length`` at most 160).

    Names are shortened with "..." (each down to a least, see ``content.names_fit``) before a
    fact is dropped; facts go last first. With no fact left the names get all the room.
    """
    zone, _ = account_zone(t.time_zone)
    word = _WORDS[t.status]
    task = to_gsm7(t.task_name) or NO_NAME
    asset = to_gsm7(t.asset_name) or NO_NAME
    phrases = [_phrase(fact, zone) for fact in t.facts]
    count = len(phrases)
    while count > 0 and not names_fit(task, asset, _budget(word, phrases[:count]), gsm7_length):
        count -= 1
    tail = _tail(phrases[:count])
    task, asset = fit_names(task, asset, _budget(word, phrases[:count]), gsm7_length)
    return f"{word}: {task} on {asset}{tail}"


def _budget(word: str, phrases: list[str]) -> int:
    """Septets left for the two names around ``word`` and the facts told."""
    return LIMIT - gsm7_length(f"{word}:  on {_tail(phrases)}")
