"""Who to tell: phone numbers and email addresses, checked exactly as the API document says.

Both are plain patterns, so the document and the validation cannot disagree. A phone number is
E.164 with a country calling code that exists; whether the number behind it is assigned is for
the SMS provider to say, and a number it refuses shows as a failed delivery. An address needs a
domain with at least one dot; mail to one that does not exist shows as a bounced delivery.
"""

from typing import Annotated

from pydantic import Field

from shared.models.common import described_pattern

# Country calling codes of the ITU (E.164 assignments, as libphonenumber 9.0 lists them,
# including the non-geographic ones such as +800 and +882).
CALLING_CODES = (  # noqa: SIM905 - a table: one string is easier to read and to diff
    "1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 "
    "64 65 66 81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 "
    "228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 "
    "252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 "
    "352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 380 381 382 383 385 386 387 "
    "389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 "
    "670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 800 808 850 "
    "852 853 855 856 870 878 880 881 882 883 886 888 960 961 962 963 964 965 966 967 968 970 971 972 "
    "973 974 975 976 977 979 992 993 994 995 996 998"
).split()

PHONE_PATTERN = described_pattern(
    f"^[+]({'|'.join(sorted(CALLING_CODES, key=len, reverse=True))})[0-9]+$",
    "not a valid E.164 phone number: + then the country calling code and the number, 7 to 15 digits "
    "in all, nothing else (e.g. +4915112345678)",
)
# E.164: at most 15 digits; the shortest numbers in use have 7.
Phone = Annotated[str, Field(min_length=8, max_length=16, pattern=PHONE_PATTERN, examples=["+4915112345678"])]

_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = described_pattern(
    f"^[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_LABEL}([.]{_LABEL})+$",
    "not a valid email address: name@domain with a dot in the domain, in ASCII (e.g. workshop@example.com)",
)
Email = Annotated[str, Field(max_length=254, pattern=EMAIL_PATTERN, examples=["workshop@example.com"])]
