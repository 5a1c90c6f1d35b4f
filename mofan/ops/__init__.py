"""Operations: backup and restore of the whole installation (database, attachments, manifest).

A thin app above all the others: it reads every app's state and belongs to none of them."""
