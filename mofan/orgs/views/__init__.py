"""Pages of the organisation domain. Thin: parse input, call the scoping layer or a service, render."""
