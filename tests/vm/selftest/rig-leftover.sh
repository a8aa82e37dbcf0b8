#!/bin/sh
# Passes but leaves a mount and a process behind: the rig must call that a failure.
mkdir m && mount -t tmpfs tmpfs m
# and a process
sleep 1000 &
