"""The rules of the referral: form definitions, answers, validation, lifecycle, calendar, contacts.

Pure Python: no Qt, no SQL, no HTTP. Every function that depends on time takes it as an argument.
"""
