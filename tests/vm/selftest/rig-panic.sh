#!/bin/sh
# Crashes the kernel: the host side must report a kernel panic.
echo c >/proc/sysrq-trigger
sleep 10
