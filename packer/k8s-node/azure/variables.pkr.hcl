variable "image_version" {
  type        = string
  description = "bluestream release the image belongs to (git tag without the v)."
  default     = "0.0.0-dev"
  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$", var.image_version))
    error_message = "The image_version must be a semantic version such as 1.2.3."
  }
}

variable "kubernetes_minor" {
  type        = string
  description = "Kubernetes minor version whose kubelet/kubeadm the image carries."
  default     = "1.34"
  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_minor))
    error_message = "The kubernetes_minor must look like 1.34."
  }
}

variable "azure_location" {
  type        = string
  description = "Azure region of the primary cluster; bluestream runs only in Germany West Central."
  default     = "germanywestcentral"
  validation {
    condition     = var.azure_location == "germanywestcentral"
    error_message = "Images are built only in germanywestcentral: data stays in Germany."
  }
}

variable "azure_subscription_id" {
  type        = string
  description = "Azure subscription to build in (from ARM_SUBSCRIPTION_ID)."
  default     = env("ARM_SUBSCRIPTION_ID")
}

variable "azure_use_cli_auth" {
  type        = bool
  description = "Authenticate with the Azure CLI session (CI logs in with OIDC first)."
  default     = true
}

variable "azure_image_resource_group" {
  type        = string
  description = "Resource group (in germanywestcentral) that holds the node images."
  default     = "rg-bluestream-images-gwc"
}
