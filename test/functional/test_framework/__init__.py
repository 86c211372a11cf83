# The Smithcoin functional-test framework package (see test_framework.py).
