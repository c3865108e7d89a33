list --state all tests/golden/inputs
