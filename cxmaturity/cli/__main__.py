"""`python -m cxmaturity.cli`: the same command as `cxmaturity`."""

from cxmaturity.cli import main

main()
