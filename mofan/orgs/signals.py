"""What the organisation services tell the apps that build on the tree."""

from django.dispatch import Signal

# A party organisation's existence, kind, committee, place in the tree or (for a 党小组) its
# members changed: the rules binding it and its subtree may differ. Sent with `org` and `since`
# (the earliest date the change reaches back to; None for all time). The meetings app keeps its
# compliance results by it.
party_org_changed = Signal()
