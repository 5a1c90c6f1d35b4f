"""Pages of the supervised-task ledger. Thin: parse input, read through the scoping layer, call a
service, render. An item a user may not see is a 404; a step they may not take is a 403."""
