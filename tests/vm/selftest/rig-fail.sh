#!/bin/sh
# Fails on purpose: the rig must report "not ok" with this output.
echo "deliberate failure"
exit 3
