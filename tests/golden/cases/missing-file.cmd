check tests/golden/inputs/does-not-exist.xml
