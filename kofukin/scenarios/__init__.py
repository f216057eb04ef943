"""Scenarios: budget rules a policy maker would change (scenarios/*.yaml), checked, and each prefecture's grant
under them compared with the baseline. Uses only the model; writes no files."""
