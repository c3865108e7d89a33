list --profile pupil fixtures/demo
