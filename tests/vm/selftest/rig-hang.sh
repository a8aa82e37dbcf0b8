#!/bin/sh
# Never ends, and leaves a child behind: the per-scenario timeout must kill
# both and the boot must go on.
sleep 1000 &
sleep 1000
