"""The screenshot corpus (fixtures/screens): labels from the replica's tree, files, reports."""
