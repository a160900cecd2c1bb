"""The encrypted local store (SQLCipher): key, migrations, referrals, attachments, outbox, audit, retention."""
