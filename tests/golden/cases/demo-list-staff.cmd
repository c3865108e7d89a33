list --profile teacher,staff fixtures/demo
