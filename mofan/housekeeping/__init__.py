"""Upkeep that spans the apps: the daily clean-up of files nobody needs any more."""
