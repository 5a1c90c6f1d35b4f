"""Pages of 组织生活, by family: meetings, sign-in, compliance and rules."""
