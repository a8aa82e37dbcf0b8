#!/bin/sh
# Passes but leaves a mount, a cgroup and a process behind: the rig must call
# that a failure, and remove them.
mkdir m && mount -t tmpfs tmpfs m
if [ "$CGROUP_VERSION" = 2 ]; then
	mkdir /sys/fs/cgroup/rig-leftover
else
	mkdir /sys/fs/cgroup/pids/rig-leftover
fi
sleep 1000 &
