# BLE edge gateway disk images for arm64 and amd64 gateway hardware: Debian 12
# with BlueZ and ble-ingest as a systemd unit reading local controller hci0
# (`--hci 0`) and streaming to the primary cluster's ingest endpoint in
# germanywestcentral. Built with QEMU from Debian's cloud images; the raw
# output is flashed to the gateway's disk. Build one architecture with
# -only=qemu.edge-gateway-arm64 or -only=qemu.edge-gateway-amd64.

packer {
  required_version = ">= 1.11.0"
  required_plugins {
    qemu = {
      source  = "github.com/hashicorp/qemu"
      version = ">= 1.1.0"
    }
  }
}

locals {
  arch = {
    amd64 = {
      qemu_binary  = "qemu-system-x86_64"
      machine_type = "q35"
      accelerator  = "kvm"
      qemuargs     = [["-cpu", "host"]]
      firmware     = "/usr/share/OVMF/OVMF_CODE.fd"
    }
    arm64 = {
      qemu_binary  = "qemu-system-aarch64"
      machine_type = "virt"
      accelerator  = "tcg"
      qemuargs     = [["-cpu", "cortex-a72"]]
      firmware     = "/usr/share/AAVMF/AAVMF_CODE.fd"
    }
  }
  # cloud-init seed: a build-only user with the build's SSH key, removed by
  # cleanup before capture.
  user_data = <<-EOT
    #cloud-config
    users:
      - name: packer
        sudo: "ALL=(ALL) NOPASSWD:ALL"
        shell: /bin/bash
        ssh_authorized_keys:
          - ${var.build_ssh_public_key}
  EOT
}

source "qemu" "edge-gateway" {
  disk_image           = true
  iso_checksum         = "file:${var.debian_cloud_image_base}/SHA512SUMS"
  format               = "raw"
  disk_size            = "8G"
  disk_interface       = "virtio"
  net_device           = "virtio-net"
  headless             = true
  memory               = 2048
  cpus                 = 2
  ssh_username         = "packer"
  ssh_private_key_file = var.build_ssh_private_key_file
  ssh_timeout          = "20m"
  # Empty: the last provisioner powers the VM off after removing the build user.
  shutdown_command = ""
  shutdown_timeout = "10m"
  cd_label         = "cidata"
  cd_content = {
    "meta-data" = ""
    "user-data" = local.user_data
  }
}

build {
  name = "edge-gateway"

  source "source.qemu.edge-gateway" {
    name              = "edge-gateway-arm64"
    iso_url           = "${var.debian_cloud_image_base}/debian-12-genericcloud-arm64.qcow2"
    qemu_binary       = local.arch.arm64.qemu_binary
    machine_type      = local.arch.arm64.machine_type
    accelerator       = local.arch.arm64.accelerator
    qemuargs          = local.arch.arm64.qemuargs
    efi_firmware_code = local.arch.arm64.firmware
    vm_name           = "bluestream-edge-gateway-${var.image_version}-arm64.img"
    output_directory  = "${path.root}/../../dist/packer/edge-gateway-arm64"
  }

  source "source.qemu.edge-gateway" {
    name              = "edge-gateway-amd64"
    iso_url           = "${var.debian_cloud_image_base}/debian-12-genericcloud-amd64.qcow2"
    qemu_binary       = local.arch.amd64.qemu_binary
    machine_type      = local.arch.amd64.machine_type
    accelerator       = local.arch.amd64.accelerator
    qemuargs          = local.arch.amd64.qemuargs
    efi_firmware_code = local.arch.amd64.firmware
    vm_name           = "bluestream-edge-gateway-${var.image_version}-amd64.img"
    output_directory  = "${path.root}/../../dist/packer/edge-gateway-amd64"
  }

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    scripts         = ["${path.root}/../scripts/harden.sh", "${path.root}/../scripts/bluez.sh"]
  }

  # The ble-ingest binary for this architecture, built by `make` before Packer runs.
  provisioner "file" {
    source      = "${var.binaries_dir}/linux_${replace(source.name, "edge-gateway-", "")}/ble-ingest"
    destination = "/tmp/ble-ingest"
    generated   = true
  }

  provisioner "file" {
    source      = "${path.root}/../files/ble-ingest.service"
    destination = "/tmp/ble-ingest.service"
  }

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    environment_vars = [
      "SERVICE=ble-ingest",
      "BINARY=/tmp/ble-ingest",
      "UNIT_FILE=/tmp/ble-ingest.service",
      "ENV_CONTENT=${join("\n", [
        "BLUESTREAM_INGEST_ENDPOINT=${var.ingest_endpoint}",
        "BLUESTREAM_LOG_FORMAT=json",
        "OTEL_SERVICE_NAME=ble-ingest-gateway",
        "OTEL_RESOURCE_ATTRIBUTES=service.namespace=bluestream,bluestream.region=germanywestcentral",
      ])}",
    ]
    scripts = ["${path.root}/../scripts/install-service.sh"]
  }

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    scripts         = ["${path.root}/../scripts/cleanup.sh"]
  }

  # Last step: remove the build user and power off from inside (the
  # builder waits for the VM to stop, see shutdown_command).
  provisioner "shell" {
    execute_command   = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    inline            = ["rm -f /etc/sudoers.d/90-cloud-init-users", "userdel --force --remove packer", "systemctl poweroff"]
    expect_disconnect = true
    skip_clean        = true
  }
}
