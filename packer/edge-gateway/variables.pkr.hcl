variable "image_version" {
  type        = string
  description = "bluestream release the image belongs to (git tag without the v)."
  default     = "0.0.0-dev"
  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", var.image_version))
    error_message = "The image_version must be a semantic version such as 1.2.3."
  }
}

variable "ingest_endpoint" {
  type        = string
  description = "IngestService of the primary cluster (germanywestcentral) that gateways stream to."
  default     = "https://ingest.germanywestcentral.bluestream.internal"
  validation {
    condition     = can(regex("^https://[a-z0-9.-]+(:[0-9]+)?$", var.ingest_endpoint)) && strcontains(var.ingest_endpoint, "germanywestcentral")
    error_message = "The ingest_endpoint must be an https URL of the germanywestcentral primary cluster."
  }
}

variable "binaries_dir" {
  type        = string
  description = "Directory with the Makefile's cross-built binaries, as <dir>/linux_<arch>/ble-ingest."
  default     = "dist/bin"
}

variable "debian_cloud_image_base" {
  type        = string
  description = "Debian 12 cloud image directory (with SHA512SUMS)."
  default     = "https://cloud.debian.org/images/cloud/bookworm/latest"
}

variable "build_ssh_public_key" {
  type        = string
  description = "Public half of a key pair made for this build only (CI generates it)."
  default     = ""
  validation {
    condition     = var.build_ssh_public_key == "" || can(regex("^ssh-(ed25519|rsa) ", var.build_ssh_public_key))
    error_message = "The build_ssh_public_key must be an OpenSSH public key."
  }
}

variable "build_ssh_private_key_file" {
  type        = string
  description = "Private half of the build-only key pair."
  default     = ""
}
