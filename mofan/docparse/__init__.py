"""Document decomposition: a policy document in, its outline and actionable items out.

Plain Python with no Django import, so it runs in a command, a worker or a test alike.
"""
