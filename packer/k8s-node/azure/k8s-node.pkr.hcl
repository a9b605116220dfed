# Kubernetes node image for the primary cluster (AKS custom node image) in
# germanywestcentral: Debian 12, containerd, kubelet, hardened. The
# provisioning is shared with ../aws through ../../scripts.

packer {
  required_version = ">= 1.11.0"
  required_plugins {
    azure = {
      source  = "github.com/hashicorp/azure"
      version = ">= 2.0.0"
    }
  }
}

locals {
  build_id = formatdate("YYYYMMDDhhmmss", timestamp())
  name     = "bluestream-k8s-node-${replace(var.kubernetes_minor, ".", "-")}-${local.build_id}"
  tags = {
    "bluestream.io/image"      = "k8s-node"
    "bluestream.io/kubernetes" = var.kubernetes_minor
    "bluestream.io/version"    = var.image_version
  }
}

source "azure-arm" "k8s-node" {
  use_azure_cli_auth                = var.azure_use_cli_auth
  subscription_id                   = var.azure_subscription_id
  location                          = var.azure_location
  managed_image_name                = local.name
  managed_image_resource_group_name = var.azure_image_resource_group
  os_type                           = "Linux"
  image_publisher                   = "Debian"
  image_offer                       = "debian-12"
  image_sku                         = "12-gen2"
  vm_size                           = "Standard_D4s_v5"
  azure_tags                        = local.tags
}

build {
  name    = "k8s-node"
  sources = ["source.azure-arm.k8s-node"]

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    scripts         = ["${path.root}/../../scripts/harden.sh"]
  }

  provisioner "shell" {
    execute_command  = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    environment_vars = ["KUBERNETES_MINOR=${var.kubernetes_minor}"]
    scripts          = ["${path.root}/../../scripts/k8s-node.sh"]
  }

  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    scripts         = ["${path.root}/../../scripts/cleanup.sh"]
  }

  # Azure images are generalised with waagent before capture.
  provisioner "shell" {
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
    inline          = ["/usr/sbin/waagent -force -deprovision+user && export HISTSIZE=0 && sync"]
  }

  post-processor "manifest" {
    output     = "${path.root}/../../../dist/packer/k8s-node-azure-manifest.json"
    strip_path = true
  }
}
