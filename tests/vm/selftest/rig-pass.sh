#!/bin/sh
# Passes, through its C helper: proves helpers are compiled into SCENARIO_BIN.
out=$("$SCENARIO_BIN/rig-pass" "$CGROUP_VERSION") || exit 1
[ "$out" = "helper ran on cgroup v$CGROUP_VERSION" ] || { echo "helper said: $out"; exit 1; }
