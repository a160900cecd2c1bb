"""Talking to the iART API: the HTTP client, the outbox worker, payload encryption and status polling."""
