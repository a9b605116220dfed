#!/usr/bin/env bash
# harden.sh applies the baseline every bluestream image shares: current
# security updates, unattended upgrades, no password or root SSH logins,
# kernel network hardening, and no services the image does not need.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get update -q
apt-get -y -q -o Dpkg::Options::=--force-confold dist-upgrade
apt-get install -y -q --no-install-recommends \
	unattended-upgrades apt-transport-https ca-certificates curl gnupg \
	chrony auditd nftables

cat >/etc/apt/apt.conf.d/20auto-upgrades <<'CONF'
APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
CONF

install -d -m 0755 /etc/ssh/sshd_config.d
cat >/etc/ssh/sshd_config.d/50-bluestream.conf <<'CONF'
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
X11Forwarding no
AllowAgentForwarding no
MaxAuthTries 3
CONF

cat >/etc/sysctl.d/60-bluestream-hardening.conf <<'CONF'
kernel.kptr_restrict = 2
kernel.dmesg_restrict = 1
kernel.unprivileged_bpf_disabled = 1
net.ipv4.conf.all.accept_redirects = 0
net.ipv4.conf.default.accept_redirects = 0
net.ipv4.conf.all.send_redirects = 0
net.ipv4.conf.all.accept_source_route = 0
net.ipv4.conf.all.rp_filter = 1
net.ipv4.tcp_syncookies = 1
net.ipv6.conf.all.accept_redirects = 0
CONF

# Services a headless node never needs.
for unit in avahi-daemon.service cups.service bluetooth.service; do
	if systemctl list-unit-files "${unit}" >/dev/null 2>&1; then
		systemctl disable --now "${unit}" || true
	fi
done

systemctl enable chrony auditd
