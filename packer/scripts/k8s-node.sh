#!/usr/bin/env bash
# k8s-node.sh installs containerd and the kubelet for a Kubernetes node image.
# KUBERNETES_MINOR (e.g. 1.34) selects the pkgs.k8s.io channel; packages are
# held so nodes only change version through a new image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
: "${KUBERNETES_MINOR:?set KUBERNETES_MINOR, e.g. 1.34}"

cat >/etc/modules-load.d/containerd.conf <<'CONF'
overlay
br_netfilter
CONF
modprobe overlay
modprobe br_netfilter
cat >/etc/sysctl.d/61-kubernetes.conf <<'CONF'
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
CONF
sysctl --system >/dev/null

apt-get update -q
apt-get install -y -q --no-install-recommends containerd runc
install -d -m 0755 /etc/containerd
containerd config default >/etc/containerd/config.toml
# The kubelet uses the systemd cgroup driver; containerd must agree.
sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml
systemctl enable containerd

install -d -m 0755 /etc/apt/keyrings
curl -fsSL "https://pkgs.k8s.io/core:/stable:/v${KUBERNETES_MINOR}/deb/Release.key" |
	gpg --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v${KUBERNETES_MINOR}/deb/ /" \
	>/etc/apt/sources.list.d/kubernetes.list
apt-get update -q
apt-get install -y -q kubelet kubeadm kubectl
apt-mark hold kubelet kubeadm kubectl containerd
systemctl enable kubelet

# The kubelet refuses to run with swap on.
swapoff -a
sed -i '/\sswap\s/d' /etc/fstab
