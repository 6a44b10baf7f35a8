// Never compiled: the test only configures the project.
