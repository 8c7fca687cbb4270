"""Notification messages, rendered from plain values: an SMS text and an email for a task that
became upcoming or overdue.

``content`` holds the input (``Transition`` and its ``Fact``s) and the wording both channels share
(numbers, dates in the account's time zone, names on one line, shortening); ``sms`` renders one
GSM-7 segment, ``email`` a subject with a text and an HTML body. Nothing here stores, sends or
imports AWS: the caller gathers the values and delivers the result.
"""
