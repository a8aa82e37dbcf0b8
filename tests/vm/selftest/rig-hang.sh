#!/bin/sh
# Never ends, and leaves a child behind: the per-scenario timeout must kill
# both and the boot must go on. It asks for 2 s (the default is 30 s).
# vm-timeout: 2
sleep 1000 &
sleep 1000
