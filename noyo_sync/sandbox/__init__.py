"""A local stand-in for Noyo's fulfillment API, served by the app itself under /noyo/sandbox/.

It follows seed 004's sandbox rule (the first three digits of the carrier group ID pick the
status a connection settles on within 10 seconds), enforces uniqueness by carrier ID and carrier
group ID, checks the 6-digit format, and can be told to fail (``faults``) for tests.
"""
