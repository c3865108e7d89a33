list --profile parent --class 4B fixtures/demo
