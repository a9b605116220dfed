#!/usr/bin/env bash
# bluez.sh installs BlueZ for a BLE edge gateway. ble-ingest talks to the
# controller through a raw HCI socket, so bluetoothd must not hold the
# adapter: the tools stay for diagnosis (btmgmt, hciconfig), the daemon is
# masked, and the adapter is unblocked at boot.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get update -q
apt-get install -y -q --no-install-recommends bluez bluez-hcidump rfkill
systemctl disable --now bluetooth.service || true
systemctl mask bluetooth.service

cat >/etc/systemd/system/bluestream-rfkill-unblock.service <<'UNIT'
[Unit]
Description=Unblock Bluetooth adapters for ble-ingest
Before=ble-ingest.service

[Service]
Type=oneshot
ExecStart=/usr/sbin/rfkill unblock bluetooth

[Install]
WantedBy=multi-user.target
UNIT
systemctl enable bluestream-rfkill-unblock.service
