# The CDK's standard test suites need its fixtures and command-line options (--connector-image, ...).
pytest_plugins = ["airbyte_cdk.test.standard_tests.pytest_hooks"]
