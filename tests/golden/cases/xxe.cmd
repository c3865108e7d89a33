list --state all tests/golden/inputs/HOSTILE_Complet_20260901_PersRelEleve_0001.xml
