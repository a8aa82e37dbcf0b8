#!/bin/sh
# Skips: exit 77, the last line of output is the reason.
echo "skipping on purpose"
exit 77
