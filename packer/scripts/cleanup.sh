#!/usr/bin/env bash
# cleanup.sh leaves an image that boots as a new machine: no build-time
# machine id, SSH host keys, logs, apt lists or shell history.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get -y -q autoremove --purge
apt-get -y -q clean
rm -rf /var/lib/apt/lists/*
rm -f /etc/ssh/ssh_host_*
truncate -s 0 /etc/machine-id
rm -f /var/lib/dbus/machine-id
find /var/log -type f -exec truncate -s 0 {} +
rm -rf /tmp/* /var/tmp/*
rm -f /root/.bash_history
if command -v cloud-init >/dev/null 2>&1; then
	cloud-init clean --logs
fi
sync
