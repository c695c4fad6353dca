"""What the commands other than build and serve do, beside the command line that prints their results."""
